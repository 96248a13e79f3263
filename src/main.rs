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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
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

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

fn run(command: Command) -> gloss::error::Result<()> {
    match command {
        Command::Build { root, output, base_url, drafts } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = gloss::build::Options { root, base_url, drafts };
            let summary = gloss::build::build_to(&options, &output)?;
            eprintln!(
                "Built {} articles and {} entity pages ({} files) into {} in {} ms",
                summary.articles,
                summary.entities,
                summary.files,
                output.display(),
                summary.elapsed.as_millis()
            );
            Ok(())
        }
        Command::Serve { root, interface, port, drafts, open } => {
            let build = gloss::build::Options { root, base_url: None, drafts };
            gloss::serve::serve(gloss::serve::Options { build, interface, port, open })
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
        Command::Annotate { file, root, json } => {
            let annotated = gloss::build::annotate_file(&file, &root)?;
            let report = annotated.report();
            if json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
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
    println!("{} ({})", text(&report["title"]), text(&report["date"]));
    let entities = report["entities"].as_array().cloned().unwrap_or_default();
    println!("\nEntities ({}):", entities.len());
    for e in &entities {
        let surfaces: Vec<String> =
            e["surface"].as_array().into_iter().flatten().map(text).collect();
        println!(
            "  {:<32} {:<13} {:>2}×  {}",
            text(&e["name"]),
            text(&e["kind"]),
            e["mentions"],
            surfaces.join(", ")
        );
    }
    let quotes = report["quotes"].as_array().cloned().unwrap_or_default();
    println!("\nQuotes ({}):", quotes.len());
    for q in &quotes {
        let speaker =
            q["speaker"].as_str().or(q["speaker_description"].as_str()).unwrap_or("(no speaker)");
        let cue = q["cue"].as_str().map(|c| format!(", {c}")).unwrap_or_default();
        println!("  “{}”\n      — {speaker}{cue}", text(&q["text"]));
    }
}
