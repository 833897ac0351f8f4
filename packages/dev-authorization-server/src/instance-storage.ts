import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * oidc-provider storage for one server instance. oidc-provider's own memory adapter keeps one
 * store per process, so two dev servers in one test process would see each other's clients; this
 * one is per instance. The `Client` model reads the clients registered here on first use.
 */
export class InstanceStorage {
  readonly #models = new Map<string, Map<string, AdapterPayload>>();

  /** Register (or update) a client's metadata; oidc-provider re-reads it on the next request. */
  registerClient(metadata: AdapterPayload & { client_id: string }): void {
    this.#store('Client').set(metadata.client_id, metadata);
  }

  /** The adapter factory for oidc-provider's `adapter` configuration. */
  readonly adapter = (name: string): Adapter => {
    const store = this.#store(name);
    return {
      upsert: async (id, payload) => {
        store.set(id, payload);
      },
      find: async (id) => store.get(id),
      findByUid: async (uid) => [...store.values()].find((payload) => payload.uid === uid),
      findByUserCode: async (userCode) =>
        [...store.values()].find((payload) => payload.userCode === userCode),
      consume: async (id) => {
        const payload = store.get(id);
        if (payload) store.set(id, { ...payload, consumed: Math.floor(Date.now() / 1000) });
      },
      destroy: async (id) => {
        store.delete(id);
      },
      revokeByGrantId: async (grantId) => {
        for (const [id, payload] of store) if (payload.grantId === grantId) store.delete(id);
      },
    };
  };

  #store(name: string): Map<string, AdapterPayload> {
    let store = this.#models.get(name);
    if (!store) {
      store = new Map();
      this.#models.set(name, store);
    }
    return store;
  }
}
