//! Diagnostics: what the front end reports, and how it is rendered.
//!
//! Every stage pushes [`Diagnostic`]s into a [`Diagnostics`] sink instead of
//! stopping at the first problem, so one run reports everything it can.
//! Rendering uses codespan-reporting (rustc-style: file:line:col, the source
//! line, the span underlined, help lines).

use crate::span::Span;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config, termcolor::WriteColor};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code (`E0301`), listed in the user guide.
    pub code: &'static str,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message, span)
    }

    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message, span)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Text under the primary span.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn to_codespan(&self) -> CsDiagnostic<()> {
        let base = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        };
        let mut labels = vec![
            CsLabel::primary((), self.primary.span.range()).with_message(&self.primary.message),
        ];
        labels.extend(
            self.secondary
                .iter()
                .map(|l| CsLabel::secondary((), l.span.range()).with_message(&l.message)),
        );
        let mut notes: Vec<String> = self.help.iter().map(|h| format!("help: {h}")).collect();
        notes.extend(self.notes.iter().map(|n| format!("note: {n}")));
        base.with_code(self.code)
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(notes)
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// The same diagnostics, each error with `note` added.
    pub fn annotate(self, note: &str) -> Diagnostics {
        let items = self
            .items
            .into_iter()
            .map(|d| if d.is_error() { d.note(note) } else { d })
            .collect();
        Diagnostics { items }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by position so the output reads top to bottom; stable, so
    /// diagnostics at one place keep the order they were found in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
        v
    }

    /// Render every diagnostic (sorted) for `file_name`/`source`.
    pub fn render(&self, file_name: &str, source: &str, out: &mut dyn WriteColor) {
        let file = SimpleFile::new(file_name, source);
        let config = Config::default();
        for d in self.sorted() {
            // Writing to a terminal or buffer; a failed write has nowhere to go.
            let _ = term::emit(out, &config, &file, &d.to_codespan());
        }
    }

    /// Render without colour into a string (tests, files).
    pub fn render_plain(&self, file_name: &str, source: &str) -> String {
        let mut buf = term::termcolor::NoColor::new(Vec::new());
        self.render(file_name, source, &mut buf);
        String::from_utf8_lossy(&buf.into_inner()).into_owned()
    }

    /// The one-line tally printed after the diagnostics.
    pub fn summary(&self) -> String {
        let (e, w) = (self.error_count(), self.warning_count());
        let plural = |n: usize, s: &str| {
            if n == 1 {
                format!("1 {s}")
            } else {
                format!("{n} {s}s")
            }
        };
        match (e, w) {
            (0, 0) => "no problems found".to_string(),
            (0, w) => plural(w, "warning"),
            (e, 0) => plural(e, "error"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}
