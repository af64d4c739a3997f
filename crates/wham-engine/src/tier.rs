//! How fired probes reach the monitor: the engine target's tiers, from
//! the slowest rung of the ladder to the fastest. Every tier gives the
//! same report; they differ in cost and in how the sandbox is kept.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tier {
    /// One module: the monitor's functions copied beside the app's, small
    /// probes inlined at their sites, the monitor's state imported from
    /// its own instance. Isolation by construction, checked on every
    /// fused module before it is compiled.
    #[default]
    Fused,
    /// The woven app calls the monitor's exports in the monitor's own
    /// instance (isolation by instance; a call between instances per
    /// fired probe).
    Weave,
    /// As `weave`, but every call goes through a host function, which
    /// calls the monitor (the "runtime call" rung).
    Host,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Fused, Tier::Weave, Tier::Host];

    pub fn name(self) -> &'static str {
        match self {
            Tier::Fused => "fused",
            Tier::Weave => "weave",
            Tier::Host => "host",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tier {
    type Err = String;

    fn from_str(s: &str) -> Result<Tier, String> {
        Tier::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| format!("unknown tier `{s}` (fused, weave or host)"))
    }
}
