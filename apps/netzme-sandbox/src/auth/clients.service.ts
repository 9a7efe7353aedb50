import { Inject, Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { loadPrivateKey, loadPublicKey } from '@app/snap';
import type { SandboxCredentials } from '../credentials/credentials';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';

/** A partner registered with (simulated) Netzme: what Netzme stores when it issues credentials. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Verifies the access-token request signature (§1.6). */
  publicKey: KeyObject;
  callbackToken: string;
  /** Signs SNAP asymmetric callbacks to this partner (§1.8). */
  netzmePrivateKey: KeyObject;
  credentials: SandboxCredentials;
}

@Injectable()
export class ClientsService {
  private readonly clients = new Map<string, RegisteredClient>();

  constructor(@Inject(SANDBOX_OPTIONS) options: ResolvedSandboxOptions) {
    this.register(options.credentials);
  }

  register(credentials: SandboxCredentials): RegisteredClient {
    const client: RegisteredClient = {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      publicKey: loadPublicKey(credentials.publicKey),
      callbackToken: credentials.callbackToken,
      netzmePrivateKey: loadPrivateKey(credentials.netzmePrivateKey),
      credentials,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  find(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  get(clientId: string): RegisteredClient {
    const client = this.clients.get(clientId);
    if (!client) {
      throw new Error(`unknown client ${clientId}`);
    }
    return client;
  }

  all(): RegisteredClient[] {
    return [...this.clients.values()];
  }

  /** The client of the development credentials (the only one unless tests register more). */
  primary(): RegisteredClient {
    return this.all()[0];
  }
}
