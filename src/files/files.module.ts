import path from 'node:path';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import multer from 'multer';
import { UploadRateModule } from '../common/upload-rate.js';
import { AppConfig } from '../config/app-config.js';
import { DirectoryFileStorage, FileStorage } from './file-storage.js';
import { FilesController, UploadLimitFilter } from './files.controller.js';
import { FilesRepository } from './files.repository.js';
import { FilesService } from './files.service.js';

/** Where files go: DUBAN_FILES_DIR, else `<DUBAN_DATA_DIR>/files`, else (in-memory data) a temporary directory. */
export async function directoryStorage(config: AppConfig): Promise<DirectoryFileStorage> {
  if (config.DUBAN_FILES_DIR) return new DirectoryFileStorage(path.resolve(config.DUBAN_FILES_DIR));
  if (config.DUBAN_DATA_DIR === ':memory:') return DirectoryFileStorage.temporary();
  return new DirectoryFileStorage(path.resolve(config.DUBAN_DATA_DIR, 'files'));
}

/**
 * Evidence files (佐证材料). The bytes go to `FileStorage` (a directory by default; provide another
 * implementation for that token to use object storage); rows hold name, type, size, SHA-256 and uploader.
 */
@Module({
  imports: [
    UploadRateModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: multer.memoryStorage(),
        limits: { fileSize: config.DUBAN_MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
        defParamCharset: 'utf8',
      }),
    }),
  ],
  providers: [
    FilesRepository,
    FilesService,
    UploadLimitFilter,
    { provide: FileStorage, inject: [AppConfig], useFactory: directoryStorage },
  ],
  controllers: [FilesController],
  exports: [FilesService, FileStorage],
})
export class FilesModule {}
