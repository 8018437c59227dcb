// An account's licence pools: unassigned extensions per country and DigitalLines. A new user
// takes an extension (from its country's pool) and a DigitalLine; deleting it gives both back.
import type { ScimSettings, SpUser } from './model.js';

/** Countries are ISO 3166-1 alpha-2 codes, compared case-insensitively. */
export const normalizeCountry = (country: string): string => country.trim().toUpperCase();

export function availableExtensions(settings: ScimSettings, country: string): number {
  const wanted = normalizeCountry(country);
  return settings.extensions.find((p) => normalizeCountry(p.country) === wanted)?.available ?? 0;
}

/** Countries that still have an unassigned extension. */
export function countriesWithExtensions(settings: ScimSettings): string[] {
  return settings.extensions.filter((p) => p.available > 0).map((p) => normalizeCountry(p.country));
}

function adjustPool(settings: ScimSettings, country: string, delta: number): ScimSettings {
  const wanted = normalizeCountry(country);
  const exists = settings.extensions.some((p) => normalizeCountry(p.country) === wanted);
  const extensions = exists
    ? settings.extensions.map((p) => (normalizeCountry(p.country) === wanted ? { ...p, available: p.available + delta } : p))
    : [...settings.extensions, { country: wanted, available: delta }];
  return { ...settings, extensions };
}

/** The settings with one extension of `country` taken, or undefined when none is left. */
export function takeExtension(settings: ScimSettings, country: string): ScimSettings | undefined {
  return availableExtensions(settings, country) > 0 ? adjustPool(settings, country, -1) : undefined;
}

/** The settings with one extension of `country` turned back into an unassigned one. */
export function releaseExtension(settings: ScimSettings, country: string): ScimSettings {
  return adjustPool(settings, country, +1);
}

/** The settings with one DigitalLine taken, or undefined when none is left. */
export function takeDigitalLine(settings: ScimSettings): ScimSettings | undefined {
  return settings.digitalLines > 0 ? { ...settings, digitalLines: settings.digitalLines - 1 } : undefined;
}

/** Gives back what a user held: its extension turns back into an unassigned one. */
export function releaseLicences(settings: ScimSettings, user: Pick<SpUser, 'extension' | 'digitalLine'>): ScimSettings {
  let out = settings;
  if (user.extension?.country) out = releaseExtension(out, user.extension.country);
  if (user.digitalLine) out = { ...out, digitalLines: out.digitalLines + 1 };
  return out;
}
