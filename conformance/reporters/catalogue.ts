/**
 * The behaviour catalogue as reporters need it: behaviour id → docs section
 * (spec/catalogue.yaml). Read tolerantly: a list of entries, `{entries:
 * [...]}` / `{behaviours: [...]}`, or a map from id to entry; each entry
 * has an `id` (or is keyed by it) and a `section`.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { ROOT } from '../runner/deps';

export interface Behaviour {
  id: string;
  section: string;
  /** The statement of the docs, when the catalogue gives it. */
  text?: string;
}

export interface Catalogue {
  behaviours: Map<string, Behaviour>;
  /** Sections in catalogue order. */
  sections: string[];
}

export const UNCATALOGUED = 'Not in the catalogue';

export function loadCatalogue(file = path.join(ROOT, 'spec', 'catalogue.yaml')): Catalogue {
  const behaviours = new Map<string, Behaviour>();
  const sections: string[] = [];
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { behaviours, sections };
  }
  const add = (id: unknown, e: Record<string, unknown>) => {
    if (typeof id !== 'string' || !id) return;
    const section = String(e.section ?? e.heading ?? UNCATALOGUED);
    const text = e.text ?? e.statement ?? e.title;
    behaviours.set(id, { id, section, ...(typeof text === 'string' ? { text } : {}) });
    if (!sections.includes(section)) sections.push(section);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const e of node) if (e && typeof e === 'object') add((e as Record<string, unknown>).id, e as Record<string, unknown>);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const key of ['entries', 'behaviours', 'behaviors', 'catalogue', 'statements']) {
      if (o[key]) return walk(o[key]);
    }
    for (const [id, e] of Object.entries(o)) if (e && typeof e === 'object' && !Array.isArray(e)) add((e as Record<string, unknown>).id ?? id, e as Record<string, unknown>);
  };
  walk(doc);
  return { behaviours, sections };
}

/** The docs sections a scenario gives evidence for, through its `covers`. */
export function sectionsOf(covers: string[], catalogue: Catalogue): string[] {
  const out = new Set<string>();
  for (const id of covers) out.add(catalogue.behaviours.get(id)?.section ?? UNCATALOGUED);
  if (out.size === 0) out.add(UNCATALOGUED);
  return [...out];
}
