//! What `--help` and the manual pages say beyond the flags: examples for each command (shown
//! by `--help` and in the pages' EXAMPLES), and for the pages their EXIT STATUS, ENVIRONMENT
//! and SEE ALSO. One table, so that the two cannot drift apart; tests check that every
//! command has an entry, that every example parses, and that every variable tribune reads is
//! documented. It is long because it is one table, a row per command; the code is short.

/// One command's entry.
pub struct Page {
    /// The command as typed after `tribune` ("contribute", "roster add-member"); "" for
    /// `tribune` itself.
    pub command: &'static str,
    /// (what it does, the command line), in the order a reader would try them.
    pub examples: &'static [(&'static str, &'static str)],
    /// Related commands, as typed after `tribune`.
    pub see_also: &'static [&'static str],
    /// What the command touches, for its ENVIRONMENT section.
    pub uses: &'static [Uses],
    /// Exit statuses with a meaning of their own here, besides the common ones.
    pub exit: &'static [(u8, &'static str)],
}

/// What a command touches that the environment can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uses {
    /// Writes commits: author and committer.
    Commits,
    /// Reads the time (deadlines, ages) as `GIT_COMMITTER_DATE` can pin it.
    Clock,
    /// Signs with an SSH key.
    Signs,
    /// Runs the user's editor.
    Editor,
    /// Runs the `git` program.
    Git,
    /// Builds the static site.
    Site,
}

/// The exit statuses every command shares.
pub const EXIT: &[(u8, &str)] = &[
    (0, "Success; also when the reader of the output (such as head) closes the pipe early."),
    (1, "The operation failed. The message says what failed and on what, and a hint what to do."),
    (2, "The command line was not understood: an unknown command or flag, or a missing or malformed value."),
];

/// Every environment variable tribune reads: (name, what reads it (empty: every command),
/// what it does). A name listed twice is read for two reasons; a page that has both joins them.
pub const ENVIRONMENT: &[(&str, &[Uses], &str)] = &[
    ("NO_COLOR", &[], "When set and not empty, --color auto (the default) does not colour."),
    (
        "COLUMNS",
        &[],
        "The width tables (when standard output is a terminal) and --help are fitted to, before the width the terminal reports.",
    ),
    (
        "GIT_PAGER",
        &[],
        "The pager for long output on a terminal (show, log, diff, list, ratings, tally --all), before core.pager and PAGER, as git chooses; empty or cat means none. --no-pager turns it off.",
    ),
    ("PAGER", &[], "The pager when neither GIT_PAGER nor core.pager names one (default: less)."),
    ("LESS", &[], "Left as it is when set; otherwise the pager runs with LESS=FRX, as git sets it."),
    (
        "LESSCHARSET",
        &[],
        "Left as it is when set (or LESSCHARDEF is); otherwise the pager runs with LESSCHARSET=utf-8, since \
         tribune writes UTF-8 in any locale.",
    ),
    ("LESSCHARDEF", &[], "When set, the pager runs without a LESSCHARSET of tribune's: less's own character set."),
    ("HOME", &[], "Where git's global configuration (~/.gitconfig) is found, and what ~/ in user.signingkey means."),
    ("GIT_CONFIG_GLOBAL", &[], "As for git: the file read instead of the global configuration."),
    ("GIT_CONFIG_NOSYSTEM", &[], "As for git: when true, the system configuration is not read."),
    (
        "GIT_OBJECT_DIRECTORY",
        &[],
        "With GIT_ALTERNATE_OBJECT_DIRECTORIES, as git sets them while a hook runs: where a push's objects wait in quarantine; tribune hook pre-receive reads them there.",
    ),
    ("GIT_ALTERNATE_OBJECT_DIRECTORIES", &[], "See GIT_OBJECT_DIRECTORY."),
    (
        "GIT_AUTHOR_NAME",
        &[Commits],
        "With GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and GIT_COMMITTER_EMAIL: who the commits record, before user.name and user.email, as git does.",
    ),
    ("GIT_AUTHOR_EMAIL", &[Commits], "See GIT_AUTHOR_NAME. Members are recognised by their email."),
    ("GIT_COMMITTER_NAME", &[Commits], "See GIT_AUTHOR_NAME."),
    ("GIT_COMMITTER_EMAIL", &[Commits], "See GIT_AUTHOR_NAME."),
    (
        "GIT_AUTHOR_DATE",
        &[Commits],
        "The date the commits record as authored, in a form git accepts (2026-11-21T10:00:00Z, @1763719200 +0000), instead of the clock.",
    ),
    ("GIT_COMMITTER_DATE", &[Commits], "The date the commits record as committed, as GIT_AUTHOR_DATE."),
    (
        "GIT_COMMITTER_DATE",
        &[Clock],
        "The current time for deadlines and ages, in a form git accepts, instead of the clock (for reproducible runs).",
    ),
    (
        "SSH_AUTH_SOCK",
        &[Signs],
        "The ssh-agent asked to sign when the key given is a .pub file whose private key the agent holds.",
    ),
    (
        "SSH_ASKPASS",
        &[Signs],
        "With SSH_ASKPASS_REQUIRE, DISPLAY and WAYLAND_DISPLAY: whether ssh-keygen can ask for a key's passphrase without a terminal, as OpenSSH decides.",
    ),
    ("SSH_ASKPASS_REQUIRE", &[Signs], "See SSH_ASKPASS."),
    ("DISPLAY", &[Signs], "See SSH_ASKPASS."),
    ("WAYLAND_DISPLAY", &[Signs], "See SSH_ASKPASS."),
    ("PATH", &[Signs], "Where ssh-keygen (or gpg.ssh.program) is found, for keys with a passphrase or in ssh-agent."),
    (
        "PATH",
        &[Git],
        "Where git is found. git runs with LC_ALL=C and GIT_TERMINAL_PROMPT=0; its own variables (GIT_SSH_COMMAND and the like) reach it.",
    ),
    (
        "GIT_EDITOR",
        &[Editor],
        "The editor for the new text when --file is not given, in git's order: GIT_EDITOR, core.editor, VISUAL, EDITOR, then vi on a terminal.",
    ),
    ("VISUAL", &[Editor], "See GIT_EDITOR."),
    (
        "TRIBUNE_TEST_SITE_KILL",
        &[Site],
        "For tribune's own crash tests only: stops the build at the moment it names (staged, journaled, applying or beside) as a kill would, leaving what a killed build leaves.",
    ),
    ("EDITOR", &[Editor], "See GIT_EDITOR."),
];

/// The variables a page lists (for `tribune` itself, all of them), in the table's order.
pub fn environment(page: &Page) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for &(name, uses, text) in ENVIRONMENT {
        if !(page.command.is_empty() || uses.is_empty() || uses.iter().any(|u| page.uses.contains(u))) {
            continue;
        }
        match out.iter_mut().find(|(n, _)| *n == name) {
            Some((_, joined)) => {
                joined.push(' ');
                joined.push_str(text);
            }
            None => out.push((name, text.to_string())),
        }
    }
    out
}

/// The entry for a command, as typed after `tribune`.
pub fn page(command: &str) -> Option<&'static Page> {
    PAGES.iter().find(|p| p.command == command)
}

/// The examples as `--help` shows them, after the options.
pub fn examples_help(page: &Page, header: &clap::builder::styling::Style) -> String {
    let mut out = format!("{header}Examples:{header:#}\n");
    for (what, lines) in page.examples {
        out.push_str(&format!("  {what}\n"));
        for line in lines.lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out.trim_end().to_string()
}

use Uses::*;

/// Every command, the top first, then as `tribune --help` lists them. The examples run in a
/// clone of the commons (or name it with -C DIR); a line ending in `\` goes on, as in a
/// shell. No line is longer than 72 characters, so that `--help` never wraps one on an
/// 80-column terminal and each can be copied as it is.
pub const PAGES: &[Page] = &[
    Page {
        command: "",
        examples: &[
            ("Build a demo commons and take the tour it prints:", "tribune demo"),
            (
                "Create a commons, a bare repository, in the new directory commons:",
                "tribune init commons --org \"Mass Organization XYZ\"",
            ),
            ("Run a command on it from outside, as git -C does:", "tribune -C commons list"),
            ("Work in a clone of it, with its files checked out:", "tribune clone commons laptop"),
        ],
        see_also: &["demo", "init", "clone"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "init",
        examples: &[
            (
                "A commons in the new directory commons, its trunk named main:",
                "tribune init commons --org \"Mass Organization XYZ\"",
            ),
            (
                "With another name for the trunk:",
                "tribune init commons --org \"Mass Organization XYZ\" --trunk trunk",
            ),
            (
                "Founded: rlopez of abc signs the root, and only the roster admits members from then on:",
                "tribune init commons --org \"Mass Organization XYZ\" \\\n  \
                 --founder rlopez --contingent abc --contingent-name \"ABC Collective\" \\\n  \
                 --key rlopez-key",
            ),
        ],
        see_also: &["roster add-contingent", "roster add-member", "clone"],
        uses: &[Commits],
        exit: &[],
    },
    Page {
        command: "roster",
        examples: &[
            ("The contingents and members:", "tribune roster"),
            ("The same as JSON:", "tribune roster --json"),
            (
                "Register a contingent:",
                "tribune roster add-contingent abc --name \"ABC Collective\"",
            ),
        ],
        see_also: &["roster add-contingent", "roster add-member", "allowed-signers"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "roster add-contingent",
        examples: &[
            (
                "Register a contingent with its web site:",
                "tribune roster add-contingent abc --name \"ABC Collective\" \\\n  \
                 --url https://abc.example.org",
            ),
            (
                "With a description:",
                "tribune roster add-contingent xyz --name \"XYZ Circle\" \\\n  \
                 --description \"Tenant organisers of the east end\"",
            ),
        ],
        see_also: &["roster", "roster add-member"],
        uses: &[Commits],
        exit: &[],
    },
    Page {
        command: "roster remove-member",
        examples: &[(
            "Remove jdoe, signed with the key of a member of jdoe's contingent:",
            "tribune roster remove-member jdoe --key rlopez-key",
        )],
        see_also: &["roster", "roster add-member", "audit"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "roster rotate-key",
        examples: &[(
            "rlopez replaces her keys, signing with the one she holds now:",
            "tribune roster rotate-key rlopez --key-file new.pub --key rlopez-key",
        )],
        see_also: &["roster", "roster add-member", "audit"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "roster remove-contingent",
        examples: &[(
            "Remove the contingent old, as the approved statement dissolve-old enacts:",
            "tribune roster remove-contingent old --statement dissolve-old",
        )],
        see_also: &["roster", "propose", "audit"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "roster set-rules",
        examples: &[(
            "New rules, as the approved statement new-rules enacts (its [[enacts]] holds\n\
             rules = the blob id `git hash-object tribune.toml` prints):",
            "tribune roster set-rules tribune.toml --statement new-rules",
        )],
        see_also: &["roster", "propose", "audit"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "roster add-member",
        examples: &[
            (
                "Register a member who signs with their usual SSH key:",
                "tribune roster add-member rlopez --contingent abc \\\n  \
                 --name \"Rosa Lopez\" --email rlopez@example.org \\\n  \
                 --key-file ~/.ssh/id_ed25519.pub",
            ),
            (
                "A member who signs from two devices:",
                "tribune roster add-member jdoe --contingent xyz \\\n  \
                 --name \"J. Doe\" --email jdoe@example.org \\\n  \
                 --key-file laptop.pub --key-file phone.pub",
            ),
        ],
        see_also: &["roster", "roster add-contingent", "vote", "allowed-signers"],
        uses: &[Commits],
        exit: &[],
    },
    Page {
        command: "contribute",
        examples: &[
            ("An article whose file has TOML front matter:", "tribune contribute strike.md"),
            (
                "A plain Markdown file, with the front matter given as flags:",
                "tribune contribute rent.md --title \"Rent strike, day 60\" \\\n  \
                 --author \"J. Doe\" --contingent xyz --tag housing",
            ),
            ("A new trunk version of an article already there:", "tribune contribute strike.md --update"),
            ("With a picture stored beside it:", "tribune contribute strike.md --attach picket.jpg"),
            (
                "Signed as a member of the article's contingent (a founded commons asks it):",
                "tribune contribute strike.md --key ~/.ssh/id_ed25519",
            ),
        ],
        see_also: &["show", "log", "rewrite", "list"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "list",
        examples: &[
            ("The articles on the trunk, newest first:", "tribune list"),
            (
                "One contingent's since November, as JSON:",
                "tribune list --contingent abc --since 2026-11-01 --json",
            ),
            ("A contingent's edition, its rewrites in place of the trunk's texts:", "tribune list --edition xyz"),
            ("What a filter passes, best first:", "tribune list --filter front-page"),
        ],
        see_also: &["show", "filter", "versions"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "show",
        examples: &[
            ("The trunk's text of an article:", "tribune show warehouse-strike"),
            ("The stored file of XYZ's version, exactly:", "tribune show warehouse-strike@xyz --raw"),
        ],
        see_also: &["list", "log", "versions", "credits"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "log",
        examples: &[
            ("An article's trunk history:", "tribune log warehouse-strike"),
            (
                "The last five entries as JSON, each with its standing and signer:",
                "tribune log warehouse-strike --limit 5 --json",
            ),
        ],
        see_also: &["show", "versions", "diff"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "rewrite",
        examples: &[
            (
                "XYZ's own version, from a file, with a summary:",
                "tribune rewrite warehouse-strike --contingent xyz --file xyz.md \\\n  \
                 -m \"Stress the show of strength\"",
            ),
            (
                "The same in your editor, signed as a member of xyz:",
                "tribune rewrite warehouse-strike --contingent xyz \\\n  \
                 --key ~/.ssh/id_ed25519",
            ),
        ],
        see_also: &["versions", "diff", "update", "credits"],
        uses: &[Commits, Editor, Signs],
        exit: &[],
    },
    Page {
        command: "versions",
        examples: &[
            ("Every version of an article, and how it stands to the trunk:", "tribune versions warehouse-strike"),
            ("Ranked by a filter:", "tribune versions warehouse-strike --filter front-page"),
        ],
        see_also: &["diff", "rewrite", "show"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "diff",
        examples: &[
            ("What XYZ's rewrite changed, word by word:", "tribune diff warehouse-strike trunk xyz"),
            ("Only the summary line:", "tribune diff warehouse-strike trunk xyz --stat"),
            (
                "Two rewrites, each against the trunk text it came from:",
                "tribune diff warehouse-strike abc xyz --three-way",
            ),
        ],
        see_also: &["versions", "log", "show"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "update",
        examples: &[(
            "Bring XYZ's edition up to the trunk, keeping its rewrites:",
            "tribune update --contingent xyz",
        )],
        see_also: &["rewrite", "versions", "list"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "rate",
        examples: &[
            (
                "Rate XYZ's version for politics, as the rater leftwire:",
                "tribune rate warehouse-strike@xyz --score 2 --dimension politics \\\n  \
                 --as leftwire",
            ),
            (
                "Rate the trunk's version with a comment, signed with your key:",
                "tribune rate warehouse-strike --score -1 --comment \"No source\" \\\n  \
                 --key ~/.ssh/id_ed25519",
            ),
            ("Many ratings at once, from CSV or JSON lines:", "tribune rate --batch ratings.csv"),
        ],
        see_also: &["ratings", "filter", "why"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "ratings",
        examples: &[
            ("An article's ratings, the latest per rater and dimension:", "tribune ratings warehouse-strike"),
            (
                "All of them, with each version's verdict under a filter:",
                "tribune ratings warehouse-strike --all --filter front-page",
            ),
        ],
        see_also: &["rate", "why", "filter"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "filter",
        examples: &[
            ("Your filters and the shared ones:", "tribune filter list"),
            (
                "A filter that trusts two raters, one twice as much:",
                "tribune filter add front-page --trust leftwire=2 --trust abc-desk \\\n  \
                 --dimension politics --min-score 1",
            ),
        ],
        see_also: &["filter add", "filter list", "filter show", "filter remove", "list", "why"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "filter add",
        examples: &[
            (
                "A private filter: the weighted mean of leftwire (2) and abc-desk at least 1:",
                "tribune filter add front-page --trust leftwire=2 --trust abc-desk \\\n  \
                 --dimension politics --min-score 1",
            ),
            (
                "A shared filter (a commit on the trunk, owned by you) of signed ratings:",
                "tribune filter add verified --trust leftwire --dimension politics \\\n  \
                 --min-score 1/2 --verified-only --shared --key ~/.ssh/id_ed25519",
            ),
        ],
        see_also: &["filter", "list", "why"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "filter list",
        examples: &[("Every filter, as JSON:", "tribune filter list --json")],
        see_also: &["filter", "filter show"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "filter show",
        examples: &[("One filter's raters, weights and rule:", "tribune filter show front-page")],
        see_also: &["filter", "why"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "filter remove",
        examples: &[
            ("Remove your own filter:", "tribune filter remove front-page"),
            ("Remove a shared one (a commit on the trunk):", "tribune filter remove verified --shared"),
        ],
        see_also: &["filter", "filter add"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "why",
        examples: &[(
            "Why a filter passes XYZ's version or not, rating by rating:",
            "tribune why warehouse-strike@xyz --filter front-page",
        )],
        see_also: &["filter", "ratings", "rate"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "propose",
        examples: &[
            (
                "Put a statement to the vote, at two-thirds of the votes cast:",
                "tribune propose statement.md --threshold 2/3",
            ),
            (
                "Three-quarters of all members, half of them voting, by a deadline:",
                "tribune propose statement.md --threshold 3/4 --basis members \\\n  \
                 --quorum 1/2 --deadline 2026-12-01T18:00:00Z",
            ),
        ],
        see_also: &["vote", "tally", "statements", "approve"],
        uses: &[Commits, Clock],
        exit: &[],
    },
    Page {
        command: "vote",
        examples: &[
            ("Vote yes as rlopez, signing with a key file:", "tribune vote heat-standard yes --as rlopez --key rlopez-key"),
            (
                "Vote no with a comment, signing with git's user.signingkey:",
                "tribune vote heat-standard no --comment \"Name the standard\"",
            ),
        ],
        see_also: &["tally", "statements", "approve", "propose"],
        uses: &[Commits, Signs, Clock],
        exit: &[],
    },
    Page {
        command: "tally",
        examples: &[
            ("The count so far, each ballot with why it counts or not:", "tribune tally heat-standard"),
            ("Every ballot, replaced ones too, as JSON:", "tribune tally heat-standard --all --json"),
        ],
        see_also: &["vote", "approve", "statements", "verify"],
        uses: &[Clock],
        exit: &[],
    },
    Page {
        command: "approve",
        examples: &[(
            "Close a vote that passed with a tag signed by rlopez:",
            "tribune approve heat-standard --as rlopez --key rlopez-key",
        )],
        see_also: &["tally", "verify", "export", "allowed-signers"],
        uses: &[Commits, Signs, Clock],
        exit: &[],
    },
    Page {
        command: "verify",
        examples: &[
            ("Recount every approved statement:", "tribune verify"),
            ("One, as JSON:", "tribune verify heat-standard --json"),
        ],
        see_also: &["approve", "tally", "allowed-signers"],
        uses: &[Clock],
        exit: &[(1, "Also when a statement fails verification; each difference is listed.")],
    },
    Page {
        command: "audit",
        examples: &[
            ("Judge the trunk's history against the roster and rules:", "tribune audit"),
            ("As JSON, for a script or a hub:", "tribune audit --json"),
            ("Only what the last ten trunk commits broke:", "tribune audit --since main~10"),
        ],
        see_also: &["init", "roster", "verify"],
        uses: &[],
        exit: &[(1, "Also when a commit breaks a rule; each finding is listed.")],
    },
    Page {
        command: "found",
        examples: &[(
            "Make the roster as it is the root of authority, signed by rlopez:",
            "tribune found --key rlopez-key",
        )],
        see_also: &["init", "audit", "roster"],
        uses: &[Commits, Signs],
        exit: &[],
    },
    Page {
        command: "hook",
        examples: &[
            ("Make a bare hub refuse pushes that break the rules:", "tribune hook install /srv/git/commons.git"),
            ("Judge the updates on standard input, as git gives them (old new ref):", "tribune hook pre-receive"),
        ],
        see_also: &["audit", "sync", "verify"],
        uses: &[Clock],
        exit: &[(1, "Also when a push is refused; each refusal is one line on standard error.")],
    },
    Page {
        command: "hook install",
        examples: &[
            ("Install the hook in the hub the clones push to:", "tribune hook install /srv/git/commons.git"),
            ("The same, from inside the hub:", "cd /srv/git/commons.git\ntribune hook install"),
        ],
        see_also: &["hook pre-receive", "audit", "init"],
        uses: &[],
        exit: &[(1, "Also when the repository is not bare, or already has a pre-receive hook that is not tribune's.")],
    },
    Page {
        command: "hook pre-receive",
        examples: &[
            (
                "A forge that runs a command as the hook, in the repository:",
                "tribune hook pre-receive",
            ),
            ("Keep what it says (standard input: `old-id new-id ref` lines):", "tribune hook pre-receive >refused.txt 2>&1"),
        ],
        see_also: &["hook install", "audit", "verify"],
        uses: &[Clock],
        exit: &[(1, "When the push is refused: one line per refusal on standard error, and git takes nothing.")],
    },
    Page {
        command: "statements",
        examples: &[
            ("Every statement and where its vote stands:", "tribune statements"),
            ("Only those still open for votes:", "tribune statements --open"),
        ],
        see_also: &["propose", "vote", "tally"],
        uses: &[Clock],
        exit: &[],
    },
    Page {
        command: "allowed-signers",
        examples: &[
            (
                "Let plain git check an approval tag's signature:",
                "tribune allowed-signers > signers\n\
                 git -c gpg.ssh.allowedSignersFile=signers \\\n  \
                 tag -v statements/heat-standard",
            ),
            (
                "The keys of a statement's electorate (the roster at its proposal):",
                "tribune allowed-signers --statement heat-standard",
            ),
        ],
        see_also: &["verify", "roster add-member"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "sync",
        examples: &[
            ("Fetch, integrate and push, through origin:", "tribune sync"),
            ("Say what would happen, changing nothing:", "tribune sync --dry-run"),
            ("Only take what another remote has, as JSON:", "tribune sync upstream --fetch-only --json"),
        ],
        see_also: &["clone", "verify"],
        uses: &[Commits, Signs, Git],
        exit: &[
            (1, "Also when the sync left refs as they were (diverged, or an approval that does not verify)."),
            (3, "The sync stopped at a text changed on both sides: both are kept, nothing is pushed; the CONFLICT lines say what to do."),
        ],
    },
    Page {
        command: "clone",
        examples: &[
            ("A full replica, with a work tree:", "tribune clone commons laptop"),
            ("A bare one, from a server:", "tribune clone https://git.example.org/commons.git --bare"),
        ],
        see_also: &["sync", "init"],
        uses: &[Commits, Git],
        exit: &[],
    },
    Page {
        command: "credits",
        examples: &[
            ("Who wrote and who modified XYZ's version, what it quotes:", "tribune credits warehouse-strike@xyz"),
            ("The trunk's, as JSON:", "tribune credits warehouse-strike --json"),
        ],
        see_also: &["export", "credit-check", "versions"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "export",
        examples: &[
            (
                "XYZ's version as a standalone HTML page, signed by XYZ:",
                "tribune export warehouse-strike@xyz --as xyz --format html \\\n  \
                 -o strike.html",
            ),
            ("An approved statement as plain text:", "tribune export heat-standard --format txt"),
        ],
        see_also: &["credits", "verify", "show"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "site",
        examples: &[
            ("The public site, with canonical links and a sitemap:", "tribune site build public --base-url https://news.example.org/"),
            ("Restyle it: write the default templates, edit them, build with them:", "tribune site templates my-templates"),
        ],
        see_also: &["site build", "site templates", "export", "list"],
        uses: &[Clock],
        exit: &[],
    },
    Page {
        command: "site build",
        examples: &[
            ("Build, or bring up to date, the site in public/:", "tribune site build public --base-url https://news.example.org/"),
            ("With your own templates, every page again:", "tribune site build public --templates my-templates --full"),
            ("What was written, as JSON:", "tribune site build public --json"),
        ],
        see_also: &["site templates", "export", "verify"],
        uses: &[Clock, Site],
        exit: &[],
    },
    Page {
        command: "site templates",
        examples: &[("The default templates, to edit:", "tribune site templates my-templates")],
        see_also: &["site build"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "credit-check",
        examples: &[
            ("Texts that reuse another article's words without credit:", "tribune credit-check"),
            (
                "One article, at a lower share and with longer runs of words:",
                "tribune credit-check warehouse-strike --threshold 1/10 --shingle 12",
            ),
        ],
        see_also: &["credits"],
        uses: &[],
        exit: &[(0, "Also when there are findings: they are a report, not a failure.")],
    },
    Page {
        command: "challenge",
        examples: &[
            (
                "Ask another contingent about an article:",
                "tribune challenge --from xyz --to abc --about warehouse-strike \\\n  \
                 -m \"Why does the report not name the company?\"",
            ),
            (
                "From a file, keeping the new id for a script:",
                "id=$(tribune challenge --from abc --to xyz question.md --quiet)",
            ),
        ],
        see_also: &["reply", "challenges", "accountability"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "reply",
        examples: &[
            (
                "Answer a challenge for the contingent abc:",
                "tribune reply 2026-11-21-3fa2c1 --as abc -m \"Not named yet.\"",
            ),
            (
                "Answer again (the reply is amended), from a file:",
                "tribune reply 2026-11-21-3fa2c1 --as abc answer.md",
            ),
            (
                "Signed with your key as a member of abc:",
                "tribune reply 2026-11-21-3fa2c1 --as abc answer.md \\\n  \
                 --key ~/.ssh/id_ed25519",
            ),
        ],
        see_also: &["challenge", "challenges", "accountability"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "challenges",
        examples: &[
            ("The challenges put to abc and not answered yet:", "tribune challenges --open --to abc"),
            ("One challenge with its text and replies:", "tribune challenges --show 2026-11-21-3fa2c1"),
        ],
        see_also: &["challenge", "reply", "accountability"],
        uses: &[Clock],
        exit: &[],
    },
    Page {
        command: "accountability",
        examples: &[
            ("Who answers the challenges put to them, and how fast:", "tribune accountability"),
            ("The same as JSON:", "tribune accountability --json"),
        ],
        see_also: &["challenges", "challenge", "reply"],
        uses: &[Clock],
        exit: &[],
    },
    Page {
        command: "channel",
        examples: &[
            ("The channels:", "tribune channel list"),
            (
                "A fortnightly newsletter of abc, with a standing page:",
                "tribune channel add shop-floor --as abc --title \"Shop floor news\" \\\n  \
                 --standing back-page.md",
            ),
            ("Pin xyz's version of an article, first:", "tribune channel pick shop-floor warehouse-strike@xyz --at 1"),
        ],
        see_also: &["channel add", "channel pick", "channel show", "edition"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "channel add",
        examples: &[
            ("A channel of abc:", "tribune channel add shop-floor --as abc --title \"Shop floor news\""),
            (
                "Fed by a filter's ten best:",
                "tribune channel add site --as xyz --title \"XYZ online\" \\\n  \
                 --filter front-page --top 10",
            ),
        ],
        see_also: &["channel pick", "edition new"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "channel list",
        examples: &[("Every channel, with its picks and editions:", "tribune channel list"), ("As JSON:", "tribune channel list --json")],
        see_also: &["channel show"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "channel show",
        examples: &[
            ("A channel's picks and editions:", "tribune channel show shop-floor"),
            ("abc's, when two contingents use the name, as JSON:", "tribune channel show abc/news --json"),
        ],
        see_also: &["channel list", "edition list"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "channel pick",
        examples: &[
            ("The trunk's text, at the end:", "tribune channel pick shop-floor warehouse-strike"),
            (
                "One version by its id, second:",
                "tribune channel pick shop-floor warehouse-strike@9f3b16 --at 2",
            ),
        ],
        see_also: &["channel unpick", "versions", "edition new"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "channel unpick",
        examples: &[("Take an article out of the picks:", "tribune channel unpick shop-floor warehouse-strike")],
        see_also: &["channel pick"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "channel remove",
        examples: &[("Close a channel, keeping its editions:", "tribune channel remove shop-floor")],
        see_also: &["channel list"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "edition",
        examples: &[
            ("The next issue, of the channel's picks:", "tribune edition new shop-floor --title \"Week 48\""),
            ("Print it:", "tribune edition export shop-floor 1 --format pdf -o week-48.pdf"),
        ],
        see_also: &["edition new", "edition list", "edition export", "channel"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "edition new",
        examples: &[
            ("Of the channel's current picks:", "tribune edition new shop-floor --title \"Week 48\""),
            (
                "Of two articles given here:",
                "tribune edition new shop-floor --title \"Strike special\" \\\n  \
                 --pick warehouse-strike@xyz --pick port-blockade",
            ),
            (
                "Of a filter's five best:",
                "tribune edition new site --title \"Today\" \\\n  \
                 --from-filter front-page --top 5",
            ),
        ],
        see_also: &["edition export", "channel pick"],
        uses: &[Commits, Clock, Signs],
        exit: &[],
    },
    Page {
        command: "edition list",
        examples: &[("A channel's editions:", "tribune edition list shop-floor")],
        see_also: &["edition export"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "edition export",
        examples: &[
            ("Issue 3 as an HTML page to print:", "tribune edition export shop-floor 3 -o issue-3.html"),
            (
                "As a PDF on Letter paper:",
                "tribune edition export shop-floor 3 --format pdf \\\n  \
                 --paper letter -o issue-3.pdf",
            ),
            ("As Markdown:", "tribune edition export shop-floor 3 --format md"),
        ],
        see_also: &["export", "credits"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "demo",
        examples: &[
            ("A demo commons in a fresh temporary directory:", "tribune demo"),
            ("In a directory of your choice:", "tribune demo tribune-demo"),
        ],
        see_also: &["init", "list"],
        uses: &[],
        exit: &[],
    },
    Page {
        command: "completions",
        examples: &[
            (
                "Bash:",
                "tribune completions bash \\\n  \
                 > ~/.local/share/bash-completion/completions/tribune",
            ),
            ("Zsh (into a directory on $fpath):", "tribune completions zsh > ~/.zfunc/_tribune"),
            (
                "Fish:",
                "tribune completions fish > ~/.config/fish/completions/tribune.fish",
            ),
        ],
        see_also: &[],
        uses: &[],
        exit: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command as typed after `tribune`, hidden ones and `help` left out.
    fn commands(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        out.push(path.to_string());
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let sub_path =
                if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            commands(sub, &sub_path, out);
        }
    }

    #[test]
    fn every_command_has_one_entry_and_every_entry_a_command() {
        let mut all = Vec::new();
        commands(&crate::cli::command(), "", &mut all);
        let entries: Vec<String> = PAGES.iter().map(|p| p.command.to_string()).collect();
        for c in &all {
            assert_eq!(entries.iter().filter(|e| *e == c).count(), 1, "cli/manual.rs: one entry for `tribune {c}`");
        }
        for e in &entries {
            assert!(all.contains(e), "cli/manual.rs has an entry for `tribune {e}`, which is not a command");
        }
        for p in PAGES {
            assert!(!p.examples.is_empty(), "`tribune {}` has no examples", p.command);
            for s in p.see_also {
                assert!(all.iter().any(|c| c == s), "`tribune {}` sees also `{s}`, which is not a command", p.command);
            }
        }
    }

    /// The words of the first `tribune …` command on a line, as a shell would split them:
    /// quotes removed, up to a redirection, pipe or the end of `$(…)`.
    fn tribune_words(line: &str) -> Option<Vec<String>> {
        let start = line.find("tribune ").filter(|&i| i == 0 || line[..i].ends_with("$("))?;
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut quote = None;
        for c in line[start..].chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), c) => word.get_or_insert_with(String::new).push(c),
                (None, '"' | '\'') => {
                    quote = Some(c);
                    word.get_or_insert_with(String::new);
                }
                (None, '>' | '|' | ')' | ';') => break,
                (None, c) if c.is_whitespace() => words.extend(word.take()),
                (None, c) => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        Some(words)
    }

    #[test]
    fn every_example_is_a_command_line_tribune_accepts() {
        for p in PAGES {
            for (what, lines) in p.examples {
                for line in lines.lines() {
                    assert!(line.chars().count() <= 72, "longer than 72 characters, --help would wrap it: {line:?}");
                }
                let joined = lines.replace("\\\n", " ");
                let runs: Vec<Vec<String>> = joined.lines().filter_map(tribune_words).collect();
                assert!(!runs.is_empty(), "{what}: no tribune command in {lines:?}");
                for words in runs {
                    let matches = crate::cli::command()
                        .try_get_matches_from(&words)
                        .unwrap_or_else(|e| panic!("`{}` is refused: {e}", words.join(" ")));
                    let mut path = Vec::new();
                    let mut m = &matches;
                    while let Some((name, sub)) = m.subcommand() {
                        path.push(name);
                        m = sub;
                    }
                    // A group's page (roster, filter) may show its subcommands.
                    let path = path.join(" ");
                    assert!(
                        p.command.is_empty() || path == p.command || path.starts_with(&format!("{} ", p.command)),
                        "an example of `tribune {}` runs `tribune {path}`",
                        p.command
                    );
                }
            }
        }
    }

    #[test]
    fn every_variable_tribune_reads_is_documented() {
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut read = std::collections::BTreeSet::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for call in ["var(\"", "var_os(\""] {
                for (i, _) in text.match_indices(call) {
                    let rest = &text[i + call.len()..];
                    read.insert(rest[..rest.find('"').unwrap()].to_string());
                }
            }
        }
        // Found by name above: GIT_{role}_{NAME,EMAIL,DATE} are formatted, so check them too.
        for role in ["AUTHOR", "COMMITTER"] {
            for k in ["NAME", "EMAIL", "DATE"] {
                read.insert(format!("GIT_{role}_{k}"));
            }
        }
        assert!(read.contains("NO_COLOR") && read.contains("SSH_AUTH_SOCK"), "{read:?}");
        let everything = page("").unwrap();
        let documented: Vec<&str> = environment(everything).into_iter().map(|(n, _)| n).collect();
        for name in &read {
            assert!(documented.contains(&name.as_str()), "tribune reads {name}, which cli/manual.rs does not document");
        }
    }

    #[test]
    fn a_page_lists_the_variables_of_what_its_command_does() {
        let names = |c: &str| -> Vec<&str> { environment(page(c).unwrap()).into_iter().map(|(n, _)| n).collect() };
        let list = names("list");
        assert!(list.contains(&"NO_COLOR") && !list.contains(&"GIT_AUTHOR_NAME") && !list.contains(&"SSH_AUTH_SOCK"));
        let vote = names("vote");
        assert!(vote.contains(&"GIT_AUTHOR_NAME") && vote.contains(&"SSH_AUTH_SOCK") && !vote.contains(&"EDITOR"));
        assert!(names("rewrite").contains(&"EDITOR"));
        // Read for two reasons, listed once with both.
        let sync = environment(page("sync").unwrap());
        let path: Vec<_> = sync.iter().filter(|(n, _)| *n == "PATH").collect();
        assert_eq!(path.len(), 1);
        assert!(path[0].1.contains("ssh-keygen") && path[0].1.contains("Where git is found"), "{}", path[0].1);
        let tally = environment(page("tally").unwrap());
        let date = tally.iter().find(|(n, _)| *n == "GIT_COMMITTER_DATE").unwrap();
        assert!(date.1.starts_with("The current time"), "{}", date.1);
    }
}
