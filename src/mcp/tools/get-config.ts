import type { ForgeTool } from '../forge-tool.js';

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
      section: { type: 'string', minLength: 1, maxLength: 64, description: 'Configuration section (e.g. "server"). All sections when absent.' },
      key: { type: 'string', minLength: 1, maxLength: 64, description: 'Key within the section (e.g. "log_level"). All keys when absent; needs section.' },
    },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ section, key }, { services }) {
    return { status: 'success', ...services.configStore.get(section, key) };
  },
};
