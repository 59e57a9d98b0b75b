//! The closed vocabularies of the survey exchange format, one enum each. The codes here are the
//! only place these strings are spelled; parsers, standards files and output all go through them.

use std::fmt;

macro_rules! codes {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $var),+
        }

        impl $name {
            /// Every value, in the order of the exchange format's documentation.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The value's code in files and standards.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }

            /// The value for a code, exactly as spelled in the format.
            pub fn from_code(s: &str) -> Option<Self> {
                Self::from_bytes(s.as_bytes())
            }

            /// As [`Self::from_code`], from the bytes of a file.
            pub fn from_bytes(s: &[u8]) -> Option<Self> {
                $(if s == $code.as_bytes() { return Some($name::$var); })+
                None
            }

            /// "`a`, `b` or `c`": the accepted codes, for error messages.
            pub fn expected() -> String {
                expected_list(&[$($code),+])
            }

            /// The accepted codes, in order.
            pub const CODES: &'static [&'static str] = &[$($code),+];
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

fn expected_list(codes: &[&str]) -> String {
    match codes {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

codes!(
    /// Urban (ward) or rural (commune, special zone): decides the income line.
    Area { Urban = "urban", Rural = "rural" }
);
codes!(
    /// A member's sex, for the retirement age.
    Sex { Male = "M", Female = "F" }
);
codes!(
    /// A household's class under a standard.
    Class { Poor = "poor", NearPoor = "near_poor", Average = "average", NotPoor = "not_poor" }
);
codes!(
    /// What a member aged 15 or more does for a living.
    Labour {
        WageContract = "wage_contract",
        WageNoContract = "wage_no_contract",
        SelfEmployed = "self_employed",
        Unemployed = "unemployed",
        Student = "student",
        Homemaker = "homemaker",
        Retired = "retired",
        Unable = "unable",
    }
);
codes!(
    /// Degree of disability.
    Disability { None = "none", Mild = "mild", Severe = "severe", VerySevere = "very_severe" }
);
codes!(
    /// A child's schooling, ages 3-15.
    Schooling { AtLevel = "at_level", Behind = "behind", NotAttending = "not_attending" }
);
codes!(
    /// Highest completed education level.
    Education {
        None = "none",
        Primary = "primary",
        LowerSecondary = "lower_secondary",
        UpperSecondary = "upper_secondary",
        Vocational = "vocational",
        College = "college",
        University = "university",
    }
);
codes!(
    /// Main drinking water source.
    WaterSource {
        Piped = "piped",
        DrilledWell = "drilled_well",
        ProtectedWell = "protected_well",
        ProtectedSpring = "protected_spring",
        Rainwater = "rainwater",
        Bottled = "bottled",
        UnprotectedWell = "unprotected_well",
        UnprotectedSpring = "unprotected_spring",
        Surface = "surface",
        Other = "other",
    }
);
codes!(
    /// Kind of latrine.
    Latrine {
        Septic = "septic",
        SemiSeptic = "semi_septic",
        PourFlush = "pour_flush",
        DoubleVault = "double_vault",
        VentilatedPit = "ventilated_pit",
        Biogas = "biogas",
        OpenPit = "open_pit",
        Hanging = "hanging",
        None = "none",
        Other = "other",
    }
);
codes!(
    /// A device for access to information.
    Device { Tv = "tv", Radio = "radio", Computer = "computer", Phone = "phone", Tablet = "tablet" }
);
codes!(
    /// How domestic waste is handled.
    Waste { Collected = "collected", OnsiteHygienic = "onsite_hygienic", Untreated = "untreated" }
);
codes!(
    /// A member's relation to the household head.
    Relation {
        Head = "head",
        Spouse = "spouse",
        Child = "child",
        Parent = "parent",
        Grandchild = "grandchild",
        Other = "other",
    }
);

/// A set of devices, as a bit set over [`Device::ALL`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Devices(u8);

impl Devices {
    pub const NONE: Devices = Devices(0);

    pub fn with(self, d: Device) -> Devices {
        Devices(self.0 | (1 << d as u8))
    }

    pub fn contains(self, d: Device) -> bool {
        self.0 & (1 << d as u8) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Device> {
        Device::ALL
            .iter()
            .copied()
            .filter(move |d| self.contains(*d))
    }
}

impl FromIterator<Device> for Devices {
    fn from_iter<I: IntoIterator<Item = Device>>(iter: I) -> Self {
        iter.into_iter().fold(Devices::NONE, Devices::with)
    }
}

impl fmt::Display for Devices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(d.code())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Labour::ALL {
            assert_eq!(Labour::from_code(l.code()), Some(*l));
        }
        assert_eq!(Latrine::from_code("septic"), Some(Latrine::Septic));
        assert_eq!(Latrine::from_code("Septic"), None);
        assert_eq!(Sex::expected(), "M or F");
        assert_eq!(Area::expected(), "urban or rural");
    }

    #[test]
    fn devices_set() {
        let d: Devices = [Device::Phone, Device::Tv].into_iter().collect();
        assert!(d.contains(Device::Tv) && d.contains(Device::Phone) && !d.contains(Device::Radio));
        assert_eq!(d.to_string(), "tv;phone");
        assert!(Devices::NONE.is_empty());
        // a device given twice is still owned
        let twice = Devices::NONE.with(Device::Tv).with(Device::Tv);
        assert!(twice.contains(Device::Tv));
        assert_eq!(twice.iter().count(), 1);
    }
}
