import { type RouteRow, routeKey } from '@vigil/infra/manifest';

interface Compiled {
  row: RouteRow;
  key: string;
  pattern: RegExp;
  names: string[];
  /** Literal routes win over parameterised ones, as in API Gateway. */
  specificity: number;
}

/** Matches request paths to manifest routes the way API Gateway HTTP APIs do. */
export class RouteTable {
  private readonly compiled: Compiled[];

  constructor(rows: RouteRow[]) {
    this.compiled = rows
      .map((row) => {
        const names: string[] = [];
        const source = row.path
          .split('/')
          .map((part) => {
            const param = /^\{(\w+)(\+?)\}$/.exec(part);
            if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(param[1]);
            return param[2] ? '(.+)' : '([^/]+)';
          })
          .join('/');
        const specificity = row.path.split('/').filter((p) => !p.startsWith('{')).length;
        return { row, key: routeKey(row), pattern: new RegExp(`^${source}$`), names, specificity };
      })
      .sort((a, b) => b.specificity - a.specificity);
  }

  /** The route for a method and path; `methodMismatch` when only the method is wrong. */
  match(
    method: string,
    path: string,
  ):
    | { row: RouteRow; key: string; params: Record<string, string> }
    | { methodMismatch: true; allowed: string[] }
    | undefined {
    const allowed: string[] = [];
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.row.method !== method) {
        allowed.push(c.row.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]);
      });
      return { row: c.row, key: c.key, params };
    }
    return allowed.length ? { methodMismatch: true, allowed: [...new Set(allowed)] } : undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
