/**
 * The JSON report (spec/report.schema.json): the machine-readable record of
 * a run, what `aiospec run --json` prints and CI archives.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import { ROOT } from '../runner/deps';
import type { Report } from '../runner/types';

export function toJson(report: Report | Report[]): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** A file-name-safe stem for a report: `<implementation>-py<python>`. */
export function reportStem(report: Report): string {
  const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'impl';
  return `${slug(report.implementation.name)}-py${slug(report.implementation.python)}`;
}

export function writeJsonReport(report: Report, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${reportStem(report)}.json`);
  fs.writeFileSync(file, toJson(report));
  return file;
}

let validator: ValidateFunction | undefined;

/** Problems of a report against spec/report.schema.json; empty when valid. */
export function validateReport(report: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'spec', 'report.schema.json'), 'utf8')));
  }
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '(report)'} ${e.message}`);
}
