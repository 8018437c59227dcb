// A minimal cookie jar for the headless login: one jar per origin, names only (the harness's
// cookies have distinct names per side).

export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    let jar = this.jars.get(origin);
    if (!jar) {
      jar = new Map();
      this.jars.set(origin, jar);
    }
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string | undefined {
    const jar = this.jars.get(new URL(url).origin);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Copies from another jar the cookies (of every origin) whose names `keep` accepts. */
  adopt(from: CookieJar, keep: (name: string) => boolean): void {
    for (const [origin, source] of from.jars) {
      let jar = this.jars.get(origin);
      if (!jar) {
        jar = new Map();
        this.jars.set(origin, jar);
      }
      for (const [name, value] of source) if (keep(name)) jar.set(name, value);
    }
  }
}
