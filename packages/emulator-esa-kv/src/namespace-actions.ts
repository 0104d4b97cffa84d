import type { ActionHandler } from "./action-context.js";
import { EsaKvEmulatorError } from "./errors.js";
import { validateNamespaceName } from "./kv-validation.js";
import type { EsaKvEmulatorLimits } from "./limits.js";
import type { StoredNamespace } from "./store.js";

/**
 * Namespace and account actions: CreateKvNamespace, DeleteKvNamespace, GetKvNamespace,
 * GetKvAccount, DescribeKvAccountStatus (reference §1.2). Deletion is synchronous here; the
 * real service's `deleting` status suggests it is asynchronous there (a declared gap).
 */

/** `1 GB`, `100 MB`: the *String fields, in binary units as the `Capacity: 1073741824` = "1 GB" sample reads. */
export function capacityString(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${units[unit]}`;
}

function describe(ns: StoredNamespace, limits: EsaKvEmulatorLimits): Record<string, unknown> {
  return {
    Namespace: ns.name,
    NamespaceId: ns.id,
    Description: ns.description,
    Status: "online",
    Capacity: limits.namespaceCapacityBytes,
    CapacityString: capacityString(limits.namespaceCapacityBytes),
    CapacityUsed: ns.usedBytes,
    CapacityUsedString: capacityString(ns.usedBytes),
  };
}

/** CreateKvNamespace: `Namespace` and `Description` in the form body. */
const createKvNamespace: ActionHandler = ({ params, store, limits }) => {
  const name = validateNamespaceName(params.form("Namespace"));
  const description = params.form("Description") ?? "";
  if (description.length > limits.descriptionMaxChars) {
    throw new EsaKvEmulatorError("InvalidParameter", `Description cannot exceed ${limits.descriptionMaxChars} characters.`);
  }
  const ns = store.createNamespace(name, description);
  return { Namespace: ns.name, NamespaceId: ns.id, Description: ns.description, Status: "online" };
};

const deleteKvNamespace: ActionHandler = ({ params, store }) => {
  store.deleteNamespace(validateNamespaceName(params.query("Namespace")));
  return {};
};

const getKvNamespace: ActionHandler = ({ params, store, limits }) =>
  describe(store.namespace(validateNamespaceName(params.query("Namespace"))), limits);

const getKvAccount: ActionHandler = ({ store, limits }) => {
  const namespaces = store.listNamespaces();
  const used = store.accountUsedBytes();
  return {
    Status: "online",
    NamespaceQuota: limits.namespaceQuota,
    NamespaceUsed: namespaces.length,
    Capacity: limits.accountCapacityBytes,
    CapacityString: capacityString(limits.accountCapacityBytes),
    CapacityUsed: used,
    CapacityUsedString: capacityString(used),
    NamespaceList: namespaces.map((ns) => describe(ns, limits)),
  };
};

const describeKvAccountStatus: ActionHandler = () => ({ Status: "online" });

/** The namespace and account handlers by action name. */
export const NAMESPACE_ACTIONS = {
  CreateKvNamespace: createKvNamespace,
  DeleteKvNamespace: deleteKvNamespace,
  GetKvNamespace: getKvNamespace,
  GetKvAccount: getKvAccount,
  DescribeKvAccountStatus: describeKvAccountStatus,
} satisfies Record<string, ActionHandler>;
