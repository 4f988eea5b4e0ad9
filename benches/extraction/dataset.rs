//! The two benchmark layouts: AEB (`html/*.html.gz` + one `ground-truth.json`) and WCXB
//! (`html/*.html.gz` + `ground-truth/<id>.json`).

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use serde_json::Value;

/// What a page should give.
pub struct Truth {
    pub url: Option<String>,
    pub text: String,
    /// WCXB's page type; AEB pages are all news articles.
    pub page_type: String,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
}

pub struct Page {
    pub id: String,
    pub html_path: PathBuf,
    pub truth: Truth,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Aeb,
    Wcxb,
}

pub struct Dataset {
    pub layout: Layout,
    pub pages: Vec<Page>,
}

pub fn load(dir: &Path) -> Result<Dataset, String> {
    let html_dir = dir.join("html");
    let mut ids: Vec<String> = fs::read_dir(&html_dir)
        .map_err(|error| format!("{}: {error}", html_dir.display()))?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".html.gz").map(str::to_owned)
        })
        .collect();
    ids.sort();
    let single = dir.join("ground-truth.json");
    if single.is_file() {
        let all = read_json(&single)?;
        let pages = ids
            .into_iter()
            .filter_map(|id| {
                let entry = all.get(&id)?;
                let truth = Truth {
                    url: text(entry, "url"),
                    text: text(entry, "articleBody").unwrap_or_default(),
                    page_type: "article".to_owned(),
                    title: None,
                    author: None,
                    date: None,
                };
                Some(page(&html_dir, id, truth))
            })
            .collect();
        return Ok(Dataset {
            layout: Layout::Aeb,
            pages,
        });
    }
    let truth_dir = dir.join("ground-truth");
    if !truth_dir.is_dir() {
        return Err(format!(
            "{}: neither ground-truth.json (AEB) nor ground-truth/ (WCXB)",
            dir.display()
        ));
    }
    let mut pages = Vec::new();
    for id in ids {
        let path = truth_dir.join(format!("{id}.json"));
        if !path.is_file() {
            continue;
        }
        let entry = read_json(&path)?;
        let fields = &entry["ground_truth"];
        let truth = Truth {
            url: text(&entry, "url"),
            text: text(fields, "main_content").unwrap_or_default(),
            page_type: entry["_internal"]["page_type"]["primary"]
                .as_str()
                .unwrap_or("unknown")
                .to_owned(),
            title: text(fields, "title"),
            author: text(fields, "author"),
            date: text(fields, "publish_date"),
        };
        pages.push(page(&html_dir, id, truth));
    }
    Ok(Dataset {
        layout: Layout::Wcxb,
        pages,
    })
}

fn page(html_dir: &Path, id: String, truth: Truth) -> Page {
    Page {
        html_path: html_dir.join(format!("{id}.html.gz")),
        id,
        truth,
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|error| format!("{}: {error}", path.display()))
}

/// A non-empty string field.
fn text(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)?
        .as_str()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

pub fn read_gzip(path: &Path) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    File::open(path)
        .map(GzDecoder::new)
        .and_then(|mut reader| reader.read_to_end(&mut bytes))
        .map_err(|error| format!("{}: {error}", path.display()))?;
    Ok(bytes)
}
