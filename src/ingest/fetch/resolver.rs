//! Name resolution that hands reqwest only addresses a fetch may connect to.
//!
//! reqwest connects to exactly the addresses this resolver returns, so vetting them here pins the
//! connection: there is no second lookup an attacker's DNS could answer differently.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::address::AddressRules;

/// A name resolved to at least one address the fetch may not connect to.
#[derive(Debug, thiserror::Error)]
#[error("{name} resolves to an address that is not allowed")]
pub(crate) struct AddressRefused {
    name: String,
}

/// Where addresses for a name come from.
#[derive(Clone)]
pub(crate) enum Lookup {
    /// The system resolver (getaddrinfo, run by tokio off the async threads).
    System,
    /// Fixed answers, so tests can make a name resolve to any address without a DNS server.
    #[cfg(test)]
    Stub(Arc<std::collections::HashMap<String, Vec<std::net::IpAddr>>>),
}

impl Lookup {
    async fn addresses(&self, name: &str) -> io::Result<Vec<SocketAddr>> {
        match self {
            // Port 0: reqwest puts the URL's port in afterwards.
            Self::System => Ok(tokio::net::lookup_host((name, 0)).await?.collect()),
            #[cfg(test)]
            Self::Stub(answers) => Ok(answers
                .get(name)
                .map(|ips| ips.iter().map(|ip| SocketAddr::new(*ip, 0)).collect())
                .unwrap_or_default()),
        }
    }
}

pub(crate) struct GuardedResolver {
    rules: Arc<AddressRules>,
    lookup: Lookup,
}

impl GuardedResolver {
    pub(crate) fn new(rules: Arc<AddressRules>, lookup: Lookup) -> Self {
        Self { rules, lookup }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let rules = Arc::clone(&self.rules);
        let lookup = self.lookup.clone();
        let name = name.as_str().to_owned();
        Box::pin(async move {
            let addresses = lookup.addresses(&name).await?;
            let vetted = vet(&name, addresses, &rules)?;
            Ok(Box::new(vetted.into_iter()) as Addrs)
        })
    }
}

/// The whole answer is refused if any address in it is: a name that mixes a public address with
/// a private one is an attack on whichever address the connector would try second.
fn vet(
    name: &str,
    addresses: Vec<SocketAddr>,
    rules: &AddressRules,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    if addresses.is_empty() {
        return Err(
            io::Error::new(io::ErrorKind::NotFound, format!("{name} has no address")).into(),
        );
    }
    if addresses.iter().any(|address| !rules.permits(address.ip())) {
        return Err(AddressRefused {
            name: name.to_owned(),
        }
        .into());
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(addresses: &[&str]) -> Vec<SocketAddr> {
        addresses
            .iter()
            .map(|text| SocketAddr::new(text.parse().expect("valid test address"), 0))
            .collect()
    }

    fn refused(result: &Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>>) -> bool {
        matches!(result, Err(error) if error.is::<AddressRefused>())
    }

    #[test]
    fn a_private_answer_is_refused() {
        let rules = AddressRules::new(false, Vec::new());
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "169.254.169.254",
            "::1",
            "fd00:ec2::254",
        ] {
            assert!(refused(&vet(
                "intranet.example",
                answer(&[private]),
                &rules
            )));
        }
    }

    #[test]
    fn one_private_address_spoils_the_whole_answer() {
        let rules = AddressRules::new(false, Vec::new());
        let mixed = answer(&["93.184.216.34", "2606:2800:220:1::1", "127.0.0.1"]);
        assert!(refused(&vet("rebind.example", mixed, &rules)));
        let mixed = answer(&["10.0.0.5", "93.184.216.34"]);
        assert!(refused(&vet("rebind.example", mixed, &rules)));
    }

    #[test]
    fn a_public_answer_passes_whole() {
        let rules = AddressRules::new(false, Vec::new());
        let public = answer(&["93.184.216.34", "2606:2800:220:1::1"]);
        assert_eq!(
            vet("example.com", public.clone(), &rules).ok(),
            Some(public)
        );
    }

    #[test]
    fn an_empty_answer_is_not_found_rather_than_refused() {
        let rules = AddressRules::new(false, Vec::new());
        let result = vet("nowhere.example", Vec::new(), &rules);
        assert!(result.is_err() && !refused(&result));
    }
}
