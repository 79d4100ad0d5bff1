import type { ReviewFile, SubmissionFile, VersionFile } from './submission.entity';

/** A file of a draft, a version or a review, as pages show it (never the row itself). */
export interface FileView {
  id: number;
  fileName: string;
  fileType: string;
  fileSize: number;
}

export function toFileView(f: SubmissionFile | VersionFile | ReviewFile): FileView {
  return { id: f.id, fileName: f.fileName, fileType: f.fileType, fileSize: f.fileSize };
}
