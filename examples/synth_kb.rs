//! Writes a synthetic knowledge base of N entries (ten question variants
//! each, mixed Chinese and English) into DIR, for trying the bot or
//! `faqbot check` at scale:
//!
//! ```sh
//! cargo run --release --example synth_kb -- 10000 /tmp/kb10k
//! cargo run --release -- --knowledge /tmp/kb10k check
//! ```

#[path = "../benches/support/synth.rs"]
mod synth;

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: synth_kb N DIR";
    let n: usize = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    let dir = PathBuf::from(args.next().ok_or_else(|| anyhow::anyhow!(usage))?);
    std::fs::create_dir_all(&dir)?;
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    synth::write(&dir, &shipped, &synth::entries(n))?;
    println!("wrote {n} entries to {}", dir.display());
    Ok(())
}
