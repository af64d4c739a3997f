//! "Did you mean" suggestions: the catalog's typo matcher, shared so rule
//! parts and script names are suggested the same way.

pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    wham_events::closest_name(name, candidates).map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names() {
        assert_eq!(
            super::suggest("cout", ["count", "total"]),
            Some("count".into())
        );
        assert_eq!(
            super::suggest("cnt", ["count", "total"]),
            Some("count".into())
        );
        assert_eq!(super::suggest("xyz", ["count", "total"]), None);
    }
}
