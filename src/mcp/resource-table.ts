import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { ForgeError } from '../errors/forge-error.js';
import type { ForgeResource, ForgeResourceTemplate } from './forge-resource.js';
import type { ForgeServices } from './forge-tool.js';

const JSON_MIME = 'application/json';

/** The forge's resources and resource templates, and the lookup from a URI to its content. */
export class ResourceTable {
  private readonly templates: Array<{ def: ForgeResourceTemplate; uri: UriTemplate }>;

  constructor(
    private readonly fixed: ForgeResource[],
    templates: ForgeResourceTemplate[],
  ) {
    this.templates = templates.map((def) => ({ def, uri: new UriTemplate(def.uriTemplate) }));
  }

  async list(services: ForgeServices) {
    const concrete = await Promise.all(this.templates.map(async ({ def }) => (def.list ? def.list(services) : [])));
    return [
      ...this.fixed.map((r) => ({ uri: r.uri, name: r.name, title: r.title, description: r.description, mimeType: JSON_MIME })),
      ...concrete.flat().map((r) => ({ ...r, mimeType: JSON_MIME })),
    ];
  }

  listTemplates() {
    return this.templates.map(({ def }) => ({
      uriTemplate: def.uriTemplate,
      name: def.name,
      title: def.title,
      description: def.description,
      mimeType: JSON_MIME,
    }));
  }

  /** The resource's JSON text; ForgeError `not_found` for a URI no resource matches. */
  async read(uri: string, services: ForgeServices): Promise<{ uri: string; mimeType: string; text: string }> {
    const fixed = this.fixed.find((r) => r.uri === uri);
    let value: unknown;
    if (fixed) {
      value = await fixed.read(services);
    } else {
      const hit = this.templates.map((t) => ({ def: t.def, params: t.uri.match(uri) })).find((t) => t.params);
      if (!hit) throw ForgeError.notFound(`no resource at ${uri}`);
      const params = Object.fromEntries(Object.entries(hit.params!).map(([k, v]) => [k, decodeURIComponent(String(v))]));
      value = await hit.def.read(params, services);
    }
    return { uri, mimeType: JSON_MIME, text: JSON.stringify(value, null, 2) };
  }
}
