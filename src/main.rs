//! The `gloss` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// gloss: a static site generator for annotated briefings.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's folder (holding config.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from config.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked as drafts.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage took.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Build the site into memory, serve it and rebuild on every change.
    Serve {
        /// The site's folder (holding config.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include articles marked as drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Print how long each stage of each rebuild took.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Create a new site in DIR: config.toml and a sample briefing.
    Init {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Create a new article in content/ dated today.
    New {
        /// The article's title.
        title: String,
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site in memory and report broken internal links and
    /// anchors (exit 1), unmatched registry entries and unattributed quotes.
    Check {
        /// The site's folder (holding config.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Override base_url from config.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include articles marked as drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// List the site's entities with their mention counts.
    Entities {
        /// The site's folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print registry stubs for frequent entities not in the registry
        /// (writes nothing).
        #[arg(long)]
        suggest: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Print the entities and quotes gloss finds in one article.
    Annotate {
        /// The article (.md or .txt).
        file: PathBuf,
        /// The site whose registry to use, if any.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `println!` that ignores a closed stdout (`gloss annotate x.md | head`):
/// `println!` panics on a broken pipe, and no output may make gloss panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    // No transparent huge pages, for any command. A fresh huge page costs
    // the kernel far more to clear than the 512 small pages it replaces
    // where the host takes free memory back (1 to 13 ms per MB, against
    // 0.4 to 0.7), and a build touches its whole heap for the first time;
    // the server would also hold a quarter more memory with them. Nothing
    // is lost if the kernel says no.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { root, base_url, drafts } => {
            check(&gloss::build::Options { root, base_url, drafts, defer_search: true })
        }
        command => run(command).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e}");
            if let gloss::error::Error::Content(errors) = &e
                && errors.len() > 1
            {
                eprintln!("\nerror: {} problems; nothing was written", errors.len());
            }
            ExitCode::from(1)
        }
    }
}

/// `gloss check`: one line per problem on stdout, then a summary; exit 1
/// when a link or anchor is broken.
fn check(options: &gloss::build::Options) -> gloss::error::Result<ExitCode> {
    let built = gloss::build::build(options)?;
    let report = gloss::check::check(&built);
    for problem in &report.problems {
        out!("{problem}");
    }
    out!("{}", report.summary());
    Ok(if report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A files-written counter on stderr for builds that take longer than a
/// second, and only when stderr is a terminal.
struct Progress {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    /// Asked once: asking for every file costs a system call each.
    terminal: bool,
}

fn progress_bar() -> Progress {
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} files written ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    Progress { bar, start: std::time::Instant::now(), terminal }
}

impl Progress {
    fn tick_file(&self) {
        self.bar.inc(1);
        if self.terminal
            && self.bar.is_hidden()
            && self.start.elapsed() > std::time::Duration::from_secs(1)
        {
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

fn run(command: Command) -> gloss::error::Result<()> {
    match command {
        Command::Build { root, output, base_url, drafts, verbose } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = gloss::build::Options { root, base_url, drafts, defer_search: false };
            let bar = progress_bar();
            let summary =
                gloss::build::build_to_with_progress(&options, &output, &|_| bar.tick_file())?;
            bar.finish();
            if summary.unchanged {
                eprintln!(
                    "Nothing changed since the last build: {} files in {} are up to date ({} ms)",
                    summary.files,
                    output.display(),
                    summary.elapsed.as_millis()
                );
            } else {
                eprintln!(
                    "Built {} articles and {} entity pages ({} files, {} written) into {} in {} ms",
                    summary.articles,
                    summary.entities,
                    summary.files,
                    summary.written,
                    output.display(),
                    summary.elapsed.as_millis()
                );
            }
            if verbose {
                for (stage, time) in &summary.timings.stages {
                    eprintln!("  {stage:<14} {:>7.1} ms", time.as_secs_f64() * 1000.0);
                }
            }
            Ok(())
        }
        Command::Serve { root, interface, port, drafts, open, verbose } => {
            let build = gloss::build::Options { root, base_url: None, drafts, defer_search: true };
            gloss::serve::serve(gloss::serve::Options { build, interface, port, open, verbose })
        }
        Command::Init { dir } => {
            gloss::init::init(&dir, today())?;
            eprintln!(
                "Created a new site in {}. Next: cd {} && gloss build",
                dir.display(),
                dir.display()
            );
            Ok(())
        }
        Command::New { title, root } => {
            let path = gloss::init::new_article(&root, &title, today())?;
            eprintln!(
                "Created {} (a draft: build with --drafts, or set draft = false)",
                path.display()
            );
            Ok(())
        }
        // main runs it: it chooses its own exit code.
        Command::Check { .. } => Ok(()),
        Command::Entities { root, suggest, drafts } => {
            let options =
                gloss::build::Options { root, base_url: None, drafts, ..Default::default() };
            let config = gloss::build::config(&options)?;
            let site = gloss::build::model(&options, config)?;
            if suggest {
                let candidates =
                    site.entities.iter().filter(|e| e.entry.is_none() && e.mentions >= 2).take(25);
                for entity in candidates {
                    out!(
                        "# content/entities/{}.md ({} mentions in {} articles)",
                        entity.id,
                        entity.mentions,
                        entity.articles.len()
                    );
                    out!(
                        "{}",
                        gloss::content::registry_stub(&entity.name, entity.kind, &entity.surfaces)
                    );
                }
            } else {
                out!(
                    "{:<40} {:<13} {:>8} {:>8}  registered",
                    "entity",
                    "kind",
                    "mentions",
                    "articles"
                );
                for e in &site.entities {
                    let kind = e.kind.as_str();
                    let registered = if e.entry.is_some() { "yes" } else { "" };
                    out!(
                        "{:<40} {:<13} {:>8} {:>8}  {registered}",
                        e.name,
                        kind,
                        e.mentions,
                        e.articles.len()
                    );
                }
            }
            Ok(())
        }
        Command::Annotate { file, root, json } => {
            let annotated = gloss::build::annotate_file(&file, &root)?;
            let report = annotated.report();
            if json {
                out!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                print_report(&report);
            }
            Ok(())
        }
    }
}

/// The readable listing of `gloss annotate` without --json.
fn print_report(report: &serde_json::Value) {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    out!("{} ({})", text(&report["title"]), text(&report["date"]));
    let entities = report["entities"].as_array().cloned().unwrap_or_default();
    out!("\nEntities ({}):", entities.len());
    for e in &entities {
        let surfaces: Vec<String> =
            e["surface"].as_array().into_iter().flatten().map(text).collect();
        out!(
            "  {:<32} {:<13} {:>2}×  {}",
            text(&e["name"]),
            text(&e["kind"]),
            e["mentions"],
            surfaces.join(", ")
        );
    }
    let quotes = report["quotes"].as_array().cloned().unwrap_or_default();
    out!("\nQuotes ({}):", quotes.len());
    for q in &quotes {
        let speaker =
            q["speaker"].as_str().or(q["speaker_description"].as_str()).unwrap_or("(no speaker)");
        let cue = q["cue"].as_str().map(|c| format!(", {c}")).unwrap_or_default();
        out!("  “{}”\n      — {speaker}{cue}", text(&q["text"]));
    }
}

// glibc's allocator spends a fifth of a large build in malloc and free
// across threads; mimalloc keeps per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
