import type { ProcessFacts } from './definition-facts.js';
import { activityType, camundaDate, ms } from './format.js';
import { toTyped } from './variables.js';

/* Rows are read with plain SQL; these shape them as Camunda 7's REST DTOs (tenantId always null). */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Row = Record<string, any>;

/** A definition; `facts` are its process's Camunda attributes (versionTag, historyTimeToLive, isStartableInTasklist). */
export function definitionDto(d: Row, facts?: ProcessFacts) {
  return {
    id: d.id,
    key: d.key,
    category: null,
    description: null,
    name: d.name ?? null,
    version: d.version,
    resource: d.resource,
    deploymentId: d.deployment_id,
    diagram: null,
    suspended: false,
    tenantId: null,
    versionTag: facts?.versionTag ?? null,
    historyTimeToLive: facts?.historyTimeToLive ?? null,
    startableInTasklist: facts?.startableInTasklist ?? true,
  };
}

export function deploymentDto(d: Row) {
  return {
    links: [],
    id: d.id,
    name: d.name ?? null,
    source: d.source ?? null,
    deploymentTime: camundaDate(d.deployed_at),
    tenantId: null,
  };
}

/** A process instance as the runtime API shows it; `variables` only when asked for. */
export function instanceDto(i: Row, withVariables = false) {
  return {
    links: [],
    id: i.id,
    definitionId: i.definition_id,
    definitionKey: i.definition_key,
    businessKey: i.business_key ?? null,
    caseInstanceId: null,
    ended: i.status !== 'active',
    suspended: false,
    tenantId: null,
    ...(withVariables ? { variables: toTyped(i.variables, null, i.variable_types) } : {}),
  };
}

export function taskDto(t: Row) {
  return {
    id: t.id,
    name: t.name ?? null,
    assignee: t.assignee ?? null,
    owner: t.owner ?? null,
    created: camundaDate(t.created_at),
    lastUpdated: null,
    due: camundaDate(t.due_at),
    followUp: camundaDate(t.follow_up_at),
    delegationState: t.delegation_state ?? null,
    description: t.documentation ?? null,
    executionId: t.execution_id,
    parentTaskId: null,
    priority: t.priority,
    processDefinitionId: t.definition_id,
    processInstanceId: t.instance_id,
    caseExecutionId: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    taskDefinitionKey: t.activity_id,
    suspended: false,
    formKey: t.form_key ?? null,
    camundaFormRef: null,
    tenantId: null,
    taskState: 'Created',
  };
}

export function historicActivityDto(h: Row) {
  return {
    id: String(h.id),
    parentActivityInstanceId: h.instance_id,
    activityId: h.activity_id,
    activityName: h.activity_name ?? null,
    activityType: activityType(h.activity_type),
    processDefinitionKey: h.definition_key ?? null,
    processDefinitionId: h.definition_id,
    processInstanceId: h.instance_id,
    executionId: h.execution_id,
    taskId: h.task_id ?? null,
    assignee: h.assignee ?? null,
    calledProcessInstanceId: h.called_instance_id ?? null,
    calledCaseInstanceId: null,
    startTime: camundaDate(h.started_at),
    endTime: camundaDate(h.ended_at),
    durationInMillis: ms(h.started_at, h.ended_at),
    canceled: Boolean(h.canceled),
    completeScope: false,
    tenantId: null,
    removalTime: null,
    rootProcessInstanceId: h.instance_id,
  };
}

const STATES: Record<string, string> = {
  active: 'ACTIVE',
  completed: 'COMPLETED',
  terminated: 'EXTERNALLY_TERMINATED',
};

export function historicProcessDto(i: Row) {
  return {
    id: i.id,
    rootProcessInstanceId: i.root_id ?? i.id,
    superProcessInstanceId: i.parent_id ?? null,
    superCaseInstanceId: null,
    caseInstanceId: null,
    processDefinitionName: i.definition_name ?? null,
    processDefinitionKey: i.definition_key,
    processDefinitionVersion: i.definition_version ?? null,
    processDefinitionId: i.definition_id,
    businessKey: i.business_key ?? null,
    startTime: camundaDate(i.started_at),
    endTime: camundaDate(i.ended_at),
    removalTime: null,
    durationInMillis: ms(i.started_at, i.ended_at),
    startUserId: null,
    startActivityId: i.start_activity_id ?? null,
    deleteReason: i.status === 'terminated' ? (i.end_reason ?? null) : null,
    tenantId: null,
    state: STATES[i.status] ?? String(i.status).toUpperCase(),
  };
}

/** Timers and failed service steps as Camunda jobs. */
export function jobDto(j: Row) {
  return {
    id: j.id,
    jobDefinitionId: j.activity_id,
    processInstanceId: j.instance_id,
    processDefinitionId: j.definition_id,
    processDefinitionKey: j.definition_key,
    executionId: j.execution_id ?? null,
    exceptionMessage: j.exception_message ?? null,
    failedActivityId: j.exception_message ? (j.failed_activity_id ?? j.activity_id) : null,
    retries: j.retries,
    dueDate: camundaDate(j.due_at),
    suspended: false,
    priority: 0,
    tenantId: null,
    createTime: camundaDate(j.created_at),
    batchId: null,
  };
}

export function incidentDto(i: Row) {
  return {
    id: i.id,
    processDefinitionId: i.definition_id,
    processInstanceId: i.instance_id,
    executionId: i.execution_id ?? null,
    incidentTimestamp: camundaDate(i.created_at),
    incidentType: i.incident_type,
    activityId: i.activity_id ?? null,
    failedActivityId: i.activity_id ?? null,
    causeIncidentId: i.id,
    rootCauseIncidentId: i.id,
    configuration: i.configuration ?? null,
    tenantId: null,
    incidentMessage: i.message ?? null,
    jobDefinitionId: null,
    annotation: null,
  };
}

export function externalTaskDto(x: Row) {
  return {
    activityId: x.activity_id,
    activityInstanceId: x.execution_id,
    errorMessage: x.error_message ?? null,
    executionId: x.execution_id,
    id: x.id,
    lockExpirationTime: camundaDate(x.lock_expires_at),
    createTime: camundaDate(x.created_at),
    processDefinitionId: x.definition_id,
    processDefinitionKey: x.definition_key,
    processDefinitionVersionTag: null,
    processInstanceId: x.instance_id,
    tenantId: null,
    retries: x.retries ?? null,
    suspended: false,
    workerId: x.worker_id ?? null,
    topicName: x.topic,
    priority: x.priority ?? 0,
    businessKey: x.business_key ?? null,
  };
}
