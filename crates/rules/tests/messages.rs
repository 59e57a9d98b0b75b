//! Every message key the code names has its texts: the sources of every crate are read and each
//! `msg!("key"` and `Msg::new("key"` is looked up in the catalogue, so a key added in the code
//! without its Vietnamese and English texts fails here (it would show as its bare key).

use giamngheo_rules::messages::MESSAGES;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "target") {
                sources(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The keys named right after each marker in a text.
fn keys_after<'a>(text: &'a str, marker: &str, out: &mut Vec<&'a str>) {
    let mut rest = text;
    while let Some(i) = rest.find(marker) {
        let after = &rest[i + marker.len()..];
        if let Some(end) = after.find('"') {
            out.push(&after[..end]);
        }
        rest = after;
    }
}

#[test]
fn every_key_the_code_names_has_its_texts() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&crates, &mut files);
    assert!(
        files.len() > 50,
        "the sources were not found from {}",
        crates.display()
    );
    let known: BTreeSet<&str> = MESSAGES.iter().map(|(k, _, _)| *k).collect();
    let mut used = BTreeSet::new();
    let mut missing = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read a source file");
        let mut keys = Vec::new();
        keys_after(&text, "msg!(\"", &mut keys);
        keys_after(&text, "Msg::new(\"", &mut keys);
        for k in keys {
            // the catalogue's own tests name a key that must not exist; docs say "key"
            if k == "no_such_key" || k == "key" {
                continue;
            }
            used.insert(k.to_string());
            if !known.contains(k) {
                missing.push(format!("{}: {k}", f.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys without texts:\n{}",
        missing.join("\n")
    );
    assert!(used.len() > 100, "only {} keys found in use", used.len());
}
