import type { ForgeTool } from '../forge-tool.js';

/** A config section or key name, as get_config and set_config take it. */
export const configNameParam = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** get_config: the running configuration, one section, or one key; secrets redacted. */
export const getConfigTool: ForgeTool<{ section?: string; key?: string }> = {
  name: 'get_config',
  title: 'Get configuration',
  description:
    'Gets configuration values of the running forge: all sections, one section, or one key of a section. ' +
    'Secrets (tokens, passwords) are redacted. pending_restart lists changes that apply at the next start.',
  inputSchema: {
    type: 'object',
    properties: {
      section: { ...configNameParam, description: 'Configuration section (e.g. "server"). All sections when absent.' },
      key: { ...configNameParam, description: 'Key within the section (e.g. "log_level"). All keys when absent; needs section.' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ section, key }, { services }) {
    return { status: 'success', ...services.configStore.get(section, key) };
  },
};
