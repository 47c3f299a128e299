//! Process-wide libgit2 settings, made once before any repository is opened.

use super::Repo;

impl Repo {
    /// Process-wide libgit2 settings, made once before any repository is opened.
    ///
    /// libgit2 ignores `GIT_CONFIG_GLOBAL` and `GIT_CONFIG_NOSYSTEM`, which git honours;
    /// tribune honours them too, so a pinned environment really is isolated.
    pub fn configure_process() {
        // SAFETY: called once at start-up, before any repository is opened.
        unsafe {
            if std::env::var_os("GIT_CONFIG_NOSYSTEM").is_some_and(|v| v != "0" && !v.is_empty()) {
                let _ = git2::opts::set_search_path(git2::ConfigLevel::System, "");
                let _ = git2::opts::set_search_path(git2::ConfigLevel::ProgramData, "");
            }
            if std::env::var_os("GIT_CONFIG_GLOBAL").is_some() {
                // The file itself is read by `config_string`; libgit2 can only search directories.
                let _ = git2::opts::set_search_path(git2::ConfigLevel::Global, "");
                let _ = git2::opts::set_search_path(git2::ConfigLevel::XDG, "");
            }
        }
        Self::tune_cache();
    }

    /// Turns libgit2's object cache off: for bulk writers, which read back little and whose
    /// writes would make the cache churn (eviction dominated the synthetic generator).
    pub fn disable_object_cache() {
        git2::opts::enable_caching(false);
    }

    /// Turns libgit2's object cache back on, after [`Repo::disable_object_cache`].
    pub fn enable_object_cache() {
        git2::opts::enable_caching(true);
    }

    /// Raises libgit2's object cache limits so that large trees (over 4 KiB) are cached;
    /// without this a shard tree is re-inflated on every lookup.
    fn tune_cache() {
        // Re-hashing every object read costs a third of a cold index build; git itself
        // does not verify on read either (fsck does).
        git2::opts::strict_hash_verification(false);
        // SAFETY: called before any repository is opened by this process's commands;
        // these are process-wide settings with no aliasing concerns.
        unsafe {
            let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Tree, 1 << 20);
            let _ = git2::opts::set_cache_object_limit(git2::ObjectType::Commit, 1 << 16);
        }
    }
}
