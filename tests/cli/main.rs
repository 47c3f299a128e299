//! One integration-test binary (jj's layout): every test runs the real `tribune` binary on
//! real temporary git repositories, in a pinned environment, and checks what plain git sees.

mod harness;

mod sync_fixture;
mod test_acts;
mod test_article_rules;
mod test_challenges;
mod test_channels;
mod test_concurrency;
mod test_contribute;
mod test_control_chars;
mod test_credits;
mod test_credits_review;
mod test_demo;
mod test_edge_cases;
mod test_editions;
mod test_filters;
mod test_governance;
mod test_help_width;
mod test_hook;
mod test_init;
mod test_json_output;
mod test_key_files;
mod test_layers;
mod test_list_order;
mod test_list_show_log;
mod test_man_and_completions;
mod test_media;
mod test_member_channels;
mod test_merge_attacks;
mod test_pager;
mod test_parallel_writers;
mod test_progress;
mod test_rating_provenance;
mod test_ratings;
mod test_readme;
mod test_roster;
mod test_rules;
mod test_signing;
mod test_since;
mod test_site;
mod test_site_credits;
mod test_site_robustness;
mod test_site_templates;
mod test_slugs;
mod test_snapshots;
mod test_stale_edition;
mod test_statement_integrity;
mod test_statements;
mod test_statements_review;
mod test_sync;
mod test_sync_identity;
mod test_sync_resilience;
mod test_sync_review;
mod test_sync_scratch;
mod test_synth;
mod test_table_style;
mod test_terminal;
mod test_times;
mod test_versions;
mod test_worktree;
mod test_worktree_symlinks;
mod vote_fixture;

#[test]
fn no_test_file_is_forgotten() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli");
    let main = std::fs::read_to_string(format!("{dir}/main.rs")).unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(main.contains(&format!("mod {module};")), "tests/cli/{name} is not listed in main.rs");
        }
    }
}
