//! Origins read from a configuration file at startup (or on a reload).

use serde::Deserialize;

/// The allowed origins of an [`OriginSet`](crate::OriginSet), as read from a
/// configuration file (TOML, JSON, YAML, or anything serde reads).
///
/// Embed it in the application's own configuration, then fill the set with
/// [`OriginSet::set_from_config`](crate::OriginSet::set_from_config) before the
/// server starts, and on a configuration reload swap in the new list with
/// [`OriginSet::replace_from_config`](crate::OriginSet::replace_from_config).
/// Entries go through the same validator as `#[cors(origins = [..])]`. `"*"`
/// as the only entry allows any origin in a plain
/// [`OriginSet`](crate::OriginSet) (as `origins = "*"` does), and is refused
/// next to other entries and in a
/// [`CredentialedOriginSet`](crate::CredentialedOriginSet). An empty list is
/// refused, and an unknown field is a deserialization error.
///
/// In TOML, for example:
///
/// ```toml
/// [cors]
/// allowed_origins = ["https://app.example.com", "https://*.partner.example"]
/// ```
///
/// ```
/// use route_cors::{OriginSet, OriginsConfig};
///
/// static PARTNERS: OriginSet = OriginSet::new("partners");
///
/// let config = OriginsConfig {
///     allowed_origins: vec!["https://app.example.com".into()],
/// };
/// PARTNERS.set_from_config(&config).unwrap();
///
/// // Reloaded: the next request uses the new list; a refused one changes nothing.
/// let reloaded = OriginsConfig {
///     allowed_origins: vec!["https://app.example.com".into(), "https://*.partner.example".into()],
/// };
/// PARTNERS.replace_from_config(&reloaded).unwrap();
/// let broken = OriginsConfig { allowed_origins: vec!["https://app.example.com/".into()] };
/// assert!(PARTNERS.replace_from_config(&broken).is_err());
///
/// // `allowed_origins = ["*"]`: any origin, from the next request on.
/// let public = OriginsConfig { allowed_origins: vec!["*".into()] };
/// PARTNERS.replace_from_config(&public).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OriginsConfig {
    /// Exact origins (`https://app.example.com`) and subdomain patterns
    /// (`https://*.example.com`).
    pub allowed_origins: Vec<String>,
}
