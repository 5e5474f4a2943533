//! [`CredentialedOriginSet`]: an [`OriginSet`] with the rules that only
//! matter with `credentials`.

use crate::config::OriginsConfig;

use super::{OriginSet, OriginsError};

/// An origin allow-list filled at startup (and replaceable at run time) for
/// routes with `credentials`.
///
/// Like [`OriginSet`], plus the rules that only matter with credentials, the
/// same the attribute applies at compile time: no plain-`http` origin other than
/// loopback, and no `*.` wildcard on a public suffix (`https://*.github.io`).
/// A route with `credentials` only accepts this type: `#[cors(origins = SET,
/// credentials)]` with a plain `OriginSet` does not compile.
///
/// ```
/// use route_cors::CredentialedOriginSet;
///
/// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
///
/// let err = PARTNERS
///     .set(["http://partner.example", "https://*.github.io"])
///     .unwrap_err();
/// assert_eq!(err.problems.len(), 2);
/// PARTNERS.set(["https://partner.example", "http://localhost:3000"]).unwrap();
/// ```
#[derive(Debug)]
pub struct CredentialedOriginSet {
    // Visible to the sets module (its tests read the list it holds).
    pub(super) set: OriginSet,
}

impl CredentialedOriginSet {
    /// A new, empty set. `name` is a label: it names the set in error
    /// messages and logs. It is not an environment variable.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert!(!PARTNERS.is_set()); // allows no origin until filled
    /// ```
    pub const fn new(name: &'static str) -> Self {
        let mut set = OriginSet::new(name);
        set.credentialed = true;
        Self { set }
    }

    /// The label given to [`CredentialedOriginSet::new`].
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert_eq!(PARTNERS.name(), "partners");
    /// ```
    pub fn name(&self) -> &'static str {
        self.set.name
    }

    /// Whether the set was filled.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// PARTNERS.set(["https://a.example.com"]).unwrap();
    /// assert!(PARTNERS.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.set.is_set()
    }

    /// Validates `origins` and fills the set; see [`OriginSet::set`]. The
    /// credential rules apply too.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// assert!(PARTNERS.set(["http://partner.example"]).is_err()); // plain http, not loopback
    /// PARTNERS.set(["https://partner.example"]).unwrap();
    /// ```
    pub fn set<I, S>(&self, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set.set(origins)
    }

    /// Fills the set from a comma-separated environment variable; see
    /// [`OriginSet::set_from_env`].
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// # std::env::set_var("CORS_ALLOWED_ORIGINS", "https://a.example.com");
    /// PARTNERS.set_from_env("CORS_ALLOWED_ORIGINS").unwrap();
    /// ```
    pub fn set_from_env(&self, var: &str) -> Result<(), OriginsError> {
        self.set.set_from_env(var)
    }

    /// Fills the set from a comma-separated environment variable, or from
    /// `defaults` when it is not set or blank; see
    /// [`OriginSet::set_from_env_or`]. The credential rules apply to both,
    /// and `*` is refused in both.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// # std::env::set_var("CRED_DEFAULT_ORIGINS", "  ");
    /// // CRED_DEFAULT_ORIGINS="  ": blank, so the defaults apply.
    /// PARTNERS
    ///     .set_from_env_or("CRED_DEFAULT_ORIGINS", ["http://localhost:3000"])
    ///     .unwrap();
    /// assert!(PARTNERS.is_set());
    /// ```
    pub fn set_from_env_or<I, S>(&self, var: &str, defaults: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set.set_from_env_or(var, defaults)
    }

    /// Fills the set from a deserialized [`OriginsConfig`]; see
    /// [`OriginSet::set_from_config`].
    ///
    /// ```
    /// use route_cors::{CredentialedOriginSet, OriginsConfig};
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// let config = OriginsConfig { allowed_origins: vec!["https://a.example.com".into()] };
    /// PARTNERS.set_from_config(&config).unwrap();
    /// ```
    pub fn set_from_config(&self, config: &OriginsConfig) -> Result<(), OriginsError> {
        self.set.set_from_config(config)
    }

    /// Validates `origins` and replaces the list in force, credential rules
    /// included; see [`OriginSet::replace`]. A refused list leaves the current
    /// one in force.
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// PARTNERS.set(["https://a.example.com"]).unwrap();
    /// assert!(PARTNERS.replace(["http://partner.example"]).is_err()); // plain http, not loopback
    /// PARTNERS.replace(["https://partner.example"]).unwrap();
    /// ```
    pub fn replace<I, S>(&self, origins: I) -> Result<(), OriginsError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set.replace(origins)
    }

    /// Replaces the list in force from a comma-separated environment
    /// variable; see [`OriginSet::replace_from_env`].
    ///
    /// ```
    /// use route_cors::CredentialedOriginSet;
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// # std::env::set_var("CRED_PARTNER_ORIGINS", "https://a.example.com");
    /// PARTNERS.replace_from_env("CRED_PARTNER_ORIGINS").unwrap(); // fills an empty set
    /// assert!(PARTNERS.is_set());
    /// ```
    pub fn replace_from_env(&self, var: &str) -> Result<(), OriginsError> {
        self.set.replace_from_env(var)
    }

    /// Replaces the list in force with a deserialized [`OriginsConfig`]; see
    /// [`OriginSet::replace_from_config`].
    ///
    /// ```
    /// use route_cors::{CredentialedOriginSet, OriginsConfig};
    ///
    /// static PARTNERS: CredentialedOriginSet = CredentialedOriginSet::new("partners");
    /// let config = OriginsConfig { allowed_origins: vec!["https://a.example.com".into()] };
    /// PARTNERS.replace_from_config(&config).unwrap();
    /// ```
    pub fn replace_from_config(&self, config: &OriginsConfig) -> Result<(), OriginsError> {
        self.set.replace_from_config(config)
    }

    /// The set a route's policy reads. Used by the code `#[cors]` generates.
    #[doc(hidden)]
    pub const fn core(&'static self) -> &'static OriginSet {
        &self.set
    }
}
