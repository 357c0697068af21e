/**
 * The behaviour catalogue as reporters need it: behaviour id → docs section
 * and statement, built from conformance/language/catalogue.ts (the one
 * loader of spec/catalogue.yaml). A catalogue with errors is refused with
 * them, not read as empty: that would file every scenario under
 * "Not in the catalogue".
 */
import { loadCatalogue as loadSpecCatalogue, defaultCatalogueFile } from '../language/catalogue';
import { formatError } from '../language/loader';

export interface Behaviour {
  id: string;
  section: string;
  /** The statement of the docs. */
  text?: string;
}

export interface Catalogue {
  behaviours: Map<string, Behaviour>;
  /** Sections in catalogue order. */
  sections: string[];
}

export const UNCATALOGUED = 'Not in the catalogue';

export class CatalogueError extends Error {
  constructor(readonly errors: string[]) {
    super(`the behaviour catalogue has ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    this.name = 'CatalogueError';
  }
}

export function loadCatalogue(file = defaultCatalogueFile()): Catalogue {
  const cat = loadSpecCatalogue(file);
  if (cat.errors.length) throw new CatalogueError(cat.errors.map(formatError));
  const behaviours = new Map<string, Behaviour>();
  const sections: string[] = [];
  for (const e of cat.entries) {
    behaviours.set(e.id, { id: e.id, section: e.section, text: e.statement });
    if (!sections.includes(e.section)) sections.push(e.section);
  }
  return { behaviours, sections };
}

/** The docs sections a scenario gives evidence for, through its `covers`. */
export function sectionsOf(covers: string[], catalogue: Catalogue): string[] {
  const out = new Set<string>();
  for (const id of covers) out.add(catalogue.behaviours.get(id)?.section ?? UNCATALOGUED);
  if (out.size === 0) out.add(UNCATALOGUED);
  return [...out];
}
