// Every table of src/translation/data, each loaded and checked once here (table-schemas.ts says their shapes),
// except resource-fields.json: large and read by translation only, resource-fields.ts loads it with the same
// loadTable, so the diff and verify stages do not parse it.
import variableData from './data/arn-variables.json' with { type: 'json' };
import outcomeData from './data/error-outcomes.json' with { type: 'json' };
import ruleData from './data/event-rules.json' with { type: 'json' };
import multiRuleData from './data/multi-permission-rules.json' with { type: 'json' };
import conditionData from './data/request-conditions.json' with { type: 'json' };
import prefixData from './data/service-prefixes.json' with { type: 'json' };
import unloggedData from './data/unlogged.json' with { type: 'json' };
import { loadTable } from './table-check.js';
import {
  arnVariablesTable,
  errorOutcomesTable,
  eventRulesTable,
  multiPermissionRulesTable,
  requestConditionsTable,
  servicePrefixesTable,
  unloggedTable,
} from './table-schemas.js';

export const tablePath = (file: string): string => `src/translation/data/${file}`;

export const ARN_VARIABLES = loadTable(tablePath('arn-variables.json'), variableData, arnVariablesTable);
export const ERROR_OUTCOMES = loadTable(tablePath('error-outcomes.json'), outcomeData, errorOutcomesTable);
export const EVENT_RULES = loadTable(tablePath('event-rules.json'), ruleData, eventRulesTable);
export const MULTI_PERMISSION_RULES = loadTable(tablePath('multi-permission-rules.json'), multiRuleData, multiPermissionRulesTable);
export const REQUEST_CONDITIONS = loadTable(tablePath('request-conditions.json'), conditionData, requestConditionsTable);
export const SERVICE_PREFIXES = loadTable(tablePath('service-prefixes.json'), prefixData, servicePrefixesTable);
export const UNLOGGED = loadTable(tablePath('unlogged.json'), unloggedData, unloggedTable);
