import { Global, Module } from '@nestjs/common';
import { FileStore } from './file-store.service';
import { UploadInterceptor } from './upload.interceptor';

@Global()
@Module({ providers: [FileStore, UploadInterceptor], exports: [FileStore, UploadInterceptor] })
export class FilesModule {}
