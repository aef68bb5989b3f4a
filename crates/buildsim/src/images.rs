//! Image references: Docker's normalisation (`node` is `docker.io/library/node:latest`), and
//! whether a `--base-changed` name covers a reference.

/// A normalised reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageRef {
    /// `docker.io/library/node`.
    pub repository: String,
    /// `20`; `latest` when neither a tag nor a digest is given.
    pub tag: Option<String>,
    /// `sha256:…`.
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let reference = reference.trim();
        let (name, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d.to_owned())),
            None => (reference, None),
        };
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(name[last_slash + i + 1..].to_owned()),
            ),
            None => (name, None),
        };
        let repo = repo.to_lowercase();
        let first = repo.split('/').next().unwrap_or("");
        let has_domain = repo.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost");
        let repository = if has_domain {
            repo
        } else if repo.contains('/') {
            format!("docker.io/{repo}")
        } else {
            format!("docker.io/library/{repo}")
        };
        let tag = match (tag, &digest) {
            (None, None) => Some("latest".to_owned()),
            (t, _) => t,
        };
        ImageRef {
            repository,
            tag,
            digest,
        }
    }

    /// Pinned by digest: the content cannot change.
    pub fn pinned(&self) -> bool {
        self.digest.is_some()
    }

    pub fn canonical(&self) -> String {
        let mut s = self.repository.clone();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// Whether `--base-changed NAME` names this image: same repository, and the same tag or
    /// digest when NAME gives one.
    pub fn covered_by(&self, name: &str) -> bool {
        let explicit_tag = {
            let n = name.split('@').next().unwrap_or(name);
            let last = n.rfind('/').map_or(0, |i| i + 1);
            n[last..].contains(':')
        };
        let other = ImageRef::parse(name);
        if other.repository != self.repository {
            return false;
        }
        if other.digest.is_some() {
            return other.digest == self.digest;
        }
        !explicit_tag || other.tag == self.tag
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_docker() {
        assert_eq!(
            ImageRef::parse("node").canonical(),
            "docker.io/library/node:latest"
        );
        assert_eq!(
            ImageRef::parse("bitnami/redis:7").canonical(),
            "docker.io/bitnami/redis:7"
        );
        assert_eq!(
            ImageRef::parse("localhost:5000/x/y:1").canonical(),
            "localhost:5000/x/y:1"
        );
        assert!(ImageRef::parse("node@sha256:abc").pinned());
        assert!(ImageRef::parse("node:20").covered_by("node"));
        assert!(ImageRef::parse("node:20").covered_by("docker.io/library/node:20"));
        assert!(!ImageRef::parse("node:20").covered_by("node:22"));
        assert!(!ImageRef::parse("node:20").covered_by("nodejs"));
    }
}
