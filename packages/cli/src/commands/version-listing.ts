import { showResource, showVersion } from "../byte-forms.js";
import { formatColumns } from "../text-columns.js";
import { isMalformed, type VersionEntry } from "../version-entry.js";

/**
 * The entries as an aligned table, sorted by resource bytes: `RESOURCE FORM VERSION FORM`, where
 * each FORM says how to read the column before it (`utf-8` text, `hex` digits, a decimal `offset`,
 * `empty`; `malformed:<type>` for a version attribute that is not binary).
 *
 * @internal
 */
export function formatEntries(entries: readonly VersionEntry[]): string {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.resource, b.resource));
  const rows = sorted.map((entry) => {
    const resource = showResource(entry.resource);
    const version = isMalformed(entry) ? { shown: "?", form: `malformed:${entry.versionType}` } : showVersion(entry.version);
    return [resource.shown, resource.form, version.shown, version.form];
  });
  return formatColumns([["RESOURCE", "FORM", "VERSION", "FORM"], ...rows]);
}

/**
 * "1 segment" or "4 segments", "1 item" or "3 items".
 *
 * @internal
 */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
