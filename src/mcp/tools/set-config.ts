import { configKeySchema } from '../../config/config-schema.js';
import type { ForgeTool } from '../forge-tool.js';
import { configNameParam } from './get-config.js';

/** set_config: validates one change against the config schema, saves it, applies it when it can be applied live. */
export const setConfigTool: ForgeTool<{ section: string; key: string; value: unknown }> = {
  name: 'set_config',
  title: 'Set configuration',
  description:
    'Sets one configuration value. The change is checked against the configuration schema first; a bad ' +
    'section, key, type or range is refused and nothing changes. Accepted changes are saved in the data ' +
    'directory. restart_required tells whether the forge must be restarted for it to take effect.',
  inputSchema: {
    type: 'object',
    properties: {
      section: { ...configNameParam, description: 'Configuration section (e.g. "server").' },
      key: { ...configNameParam, description: 'Key within the section (e.g. "log_level").' },
      value: { description: 'New value, as JSON of the type the key takes (string, number, boolean, null, list or object).' },
    },
    required: ['section', 'key', 'value'],
    additionalProperties: false,
  },
  annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  // The value is as secret as the key it sets; a key that is not known is treated as secret.
  secretsIn: ({ section, key }) => ({ properties: { section: {}, key: {}, value: configKeySchema(section, key) ?? { writeOnly: true } } }),
  async handler({ section, key, value }, { services }) {
    return { ...(await services.configStore.set(section, key, value)) };
  },
};
