import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ASSETS_DIR, PAGES_DIR, PAGE_CSP, safeRelative } from './static-files.js';

const PAGE_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** The sections of the pages (history-mode routes of the Vue app): every address under them is its index.html. */
const SECTIONS = ['unit', 'office', 'admin', 'leader'] as const;
const NOT_BUILT = '页面尚未构建：请运行 npm run build:pages（npm start 会自动构建）。';

/**
 * The pages: one Vue application (src/web/app, built by Vite into dist/pages). Each page address answers
 * its index.html and the router draws the page; every page is public (it holds no data: it signs in and
 * calls the API with the token, and the API decides what it shows). Addresses outside these answer 404.
 */
@ApiExcludeController()
@Controller()
export class PagesController {
  @Get()
  home(@Res() res: Response) {
    res.redirect(302, '/login');
  }

  @Get(['login', 'public', 'messages', 'inbox', 'ledger', 'review', 'dashboard', ...SECTIONS])
  page(@Res() res: Response) {
    this.index(res);
  }

  @Get(SECTIONS.map((s) => `${s}/*path`))
  section(@Param('path') path: string[] | string, @Res() res: Response) {
    const parts = Array.isArray(path) ? path : path.split('/');
    if (parts.length > 6 || !parts.every((p) => PAGE_ID.test(p))) throw new NotFoundException();
    this.index(res);
  }

  @Get(['public/petitions', 'public/petitions/:id'])
  publicPetitions(@Res() res: Response, @Param('id') id?: string) {
    if (id !== undefined && !PAGE_ID.test(id)) throw new NotFoundException();
    this.index(res);
  }

  @Get(['tasks/:id', 'problems/:id'])
  detail(@Param('id') id: string, @Res() res: Response) {
    if (!PAGE_ID.test(id)) throw new NotFoundException();
    this.index(res);
  }

  /** The bundles: content-hashed names, so cached for a year. */
  @Get('assets/*path')
  asset(@Param('path') path: string[] | string, @Res() res: Response) {
    const rel = safeRelative(path);
    if (!rel || rel.endsWith('.html')) throw new NotFoundException();
    res.sendFile(rel, { root: ASSETS_DIR, dotfiles: 'deny', maxAge: 365 * 86_400_000, immutable: true }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ statusCode: 404, error: 'NOT_FOUND', message: '未找到' });
    });
  }

  private index(res: Response): void {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: PAGES_DIR, dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) res.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    });
  }
}
