/**
 * The behaviour catalogue, spec/catalogue.yaml: every normative statement of
 * the docs page under a stable ID (format: spec/CATALOGUE.md). Scenarios name
 * these IDs in `covers`; lint checks that they exist and lists the entries no
 * scenario covers.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Position, ScenarioError } from './loader';
import { specDir } from './schema';

export interface CatalogueEntry {
  id: string;
  section: string;
  quote: string;
  statement: string;
  kind: 'behaviour' | 'example-output' | 'deprecation' | 'removal' | 'version-change' | 'raises';
  /** Versions the statement holds for (its own syntax: `,` for and, ` || ` for or, X.Y or X.Y.Z). */
  versions: string;
  notes?: string;
}

export interface Catalogue {
  file: string;
  entries: CatalogueEntry[];
  byId: Map<string, CatalogueEntry>;
  /** Where each entry's `id` sits in the file. */
  positions: Map<string, Position>;
  /** Problems with the catalogue file itself (schema, duplicate IDs). */
  errors: ScenarioError[];
}

export function defaultCatalogueFile(): string {
  return path.join(specDir(), 'catalogue.yaml');
}

/** Loads and checks the catalogue; never throws for a bad file (see `errors`), only for an unreadable one. */
export function loadCatalogue(file = defaultCatalogueFile()): Catalogue {
  const text = fs.readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const cat: Catalogue = { file, entries: [], byId: new Map(), positions: new Map(), errors: [] };
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  for (const e of doc.errors) cat.errors.push({ file, ...at(e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` });
  if (cat.errors.length) return cat;

  const itemPositions: Position[] = [];
  if (isSeq(doc.contents)) {
    for (const item of doc.contents.items) {
      const node = item as { range?: [number, number, number] };
      itemPositions.push(at(node.range?.[0] ?? 0));
      if (!isMap(item)) continue;
      const idPair = item.items.find((p) => isScalar(p.key) && p.key.value === 'id');
      if (idPair && isScalar(idPair.value) && typeof idPair.value.value === 'string' && idPair.value.range) {
        if (!cat.positions.has(idPair.value.value)) cat.positions.set(idPair.value.value, at(idPair.value.range[0]));
      }
    }
  }
  const data = doc.toJS() as unknown;
  for (const problem of schemaProblems(data)) {
    const index = /^\/(\d+)/.exec(problem.pointer);
    const where = index ? itemPositions[Number(index[1])] : { line: 1, column: 1 };
    cat.errors.push({ file, ...(where ?? { line: 1, column: 1 }), message: problem.message });
  }
  if (!Array.isArray(data)) return cat;
  for (const entry of data as CatalogueEntry[]) {
    if (!entry || typeof entry.id !== 'string') continue;
    if (cat.byId.has(entry.id)) {
      const first = cat.positions.get(entry.id);
      cat.errors.push({ file, ...(first ?? { line: 1, column: 1 }), id: entry.id, message: `catalogue ID \`${entry.id}\` is used by more than one entry` });
      continue;
    }
    cat.byId.set(entry.id, entry);
    cat.entries.push(entry);
  }
  return cat;
}

/** Checks against spec/catalogue.schema.json when it is present. */
function schemaProblems(data: unknown): { pointer: string; message: string }[] {
  const schemaFile = path.join(specDir(), 'catalogue.schema.json');
  if (!fs.existsSync(schemaFile)) return [];
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({
    pointer: e.instancePath,
    message: `${e.instancePath || 'catalogue'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? `: ${(e.params as { additionalProperty: string }).additionalProperty}` : ''}`,
  }));
}
