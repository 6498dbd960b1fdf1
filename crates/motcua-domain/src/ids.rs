//! Typed integer IDs, so that a `UnitId` cannot be passed where a `DossierId` is wanted.

/// Declares a transparent `i64` ID newtype with `Display`, `FromStr` and serde.
#[macro_export]
macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { self.0.fmt(f) }
        }
        impl From<i64> for $name {
            fn from(v: i64) -> Self { Self(v) }
        }
        impl From<$name> for i64 {
            fn from(v: $name) -> Self { v.0 }
        }
        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { s.parse().map(Self) }
        }
    };
}

id!(
    /// A dossier's internal ID (never shown to the public: the public uses the dossier code).
    DossierId
);
id!(
    /// A user account.
    UserId
);
id!(
    /// An agency (department, branch, center, People's Committee).
    AgencyId
);
id!(
    /// A ticket of a center's queue.
    TicketId
);
id!(
    /// A service of a center's queue.
    QueueServiceId
);
id!(
    /// A counter of a center.
    CounterId
);
