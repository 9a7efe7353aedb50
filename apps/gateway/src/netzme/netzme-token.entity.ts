import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';

/**
 * The one live Netzme access token per client id, shared by every gateway replica: Netzme keeps a
 * single live token per client, so replicas that each fetched their own would invalidate each other.
 */
@Entity({ name: 'netzme_access_tokens' })
export class NetzmeAccessToken {
  @PrimaryColumn({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'access_token', type: 'text' })
  accessToken: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintTransformer })
  expiresAt: bigint;

  @Column({ name: 'refresh_at', type: 'bigint', nullable: true, transformer: bigintTransformer })
  refreshAt: bigint | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
