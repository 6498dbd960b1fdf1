//! The `motcua` binary: a thin wrapper around `motcua::cli`.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = motcua::cli::Cli::parse();
    match motcua::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi / error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
