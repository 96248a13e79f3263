//! Entities: find the people, organizations and places in an article's
//! blocks, from the registry and by discovery, with coreference.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::TextBlock;

/// The kind of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A company, government body, party, medium, ...
    Organization,
    /// A country, city, region, geographic feature or named facility.
    Place,
    /// Anything else a registry names.
    Other,
}

/// One entry of the site's entity registry, as the annotator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    /// The entity id (the slug of its page).
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Other names it goes by in text ("Blinken", "U.S.").
    pub aliases: Vec<String>,
}

/// The registry's names, compiled once per build for matching.
#[derive(Debug, Default)]
pub struct Registry {
    entries: Vec<RegistryEntry>,
}

impl Registry {
    /// Compiles the registry's names and aliases for matching.
    pub fn new(entries: Vec<RegistryEntry>) -> Registry {
        Registry { entries }
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[RegistryEntry] {
        &self.entries
    }
}

/// Options from config.toml's `[annotate]` table that detection honours.
#[derive(Debug, Clone, Default)]
pub struct EntityOptions {
    /// Find unregistered names too (default true).
    pub discover: bool,
    /// Strings never to treat as entities.
    pub ignore: Vec<String>,
}

/// An entity found in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Its id: the registry id, else the slug of its name.
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Every distinct string in the article that names it, in order of first use.
    pub surfaces: Vec<String>,
    /// Role words seen before its name ("Secretary of State").
    pub roles: Vec<String>,
    /// Whether it comes from the registry.
    pub registered: bool,
}

/// One mention of an entity in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the block in the slice given to [`find`].
    pub block: usize,
    /// Byte range of the surface form in the block's text.
    pub range: Range<usize>,
    /// Index into [`EntityFindings::entities`].
    pub entity: usize,
    /// Role words right before the name, if any.
    pub role: Option<String>,
}

/// Everything entity detection found in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityFindings {
    /// Distinct entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Every mention, sorted by block then start offset, never overlapping.
    pub mentions: Vec<Mention>,
}

/// Finds the entities of one article.
pub fn find(
    _blocks: &[TextBlock],
    _registry: &Registry,
    _options: &EntityOptions,
) -> EntityFindings {
    EntityFindings::default()
}
