import { Column } from 'typeorm';

/**
 * The columns that describe a file in the store, shared by every table that keeps one
 * (draft files, version files, review files): generated key, shown name, detected type, size, hash.
 */
export abstract class StoredFileColumns {
  @Column({ name: 'file_key', type: 'varchar', length: 100 })
  fileKey: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'file_type', type: 'varchar', length: 100 })
  fileType: string;

  @Column({ name: 'file_size', type: 'integer' })
  fileSize: number;

  @Column({ name: 'file_sha256', type: 'varchar', length: 64 })
  fileSha256: string;
}
