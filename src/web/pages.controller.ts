import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PAGES_DIR, PAGE_CSP, STATIC_DIRS, safeRelative } from './static-files.js';

const PAGE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The pages (in Chinese, plain ES modules, no build step) and what they load. Every page is public: it
 * signs in with a token kept in sessionStorage and calls the API with it; the API decides what it shows.
 */
@ApiExcludeController()
@Controller()
export class PagesController {
  @Get()
  home(@Res() res: Response) {
    res.redirect(302, '/login');
  }

  @Get(['login', 'inbox', 'ledger', 'review', 'dashboard', 'public', 'incidents'])
  page(@Res() res: Response) {
    this.html(res, `${res.req.path.slice(1)}.html`);
  }

  @Get('tasks/:id')
  task(@Param('id') id: string, @Res() res: Response) {
    if (!PAGE_ID.test(id)) throw new NotFoundException();
    this.html(res, 'task.html');
  }

  @Get('problems/:id')
  problem(@Param('id') id: string, @Res() res: Response) {
    if (!PAGE_ID.test(id)) throw new NotFoundException();
    this.html(res, 'problem.html');
  }

  @Get('assets/*path')
  asset(@Param('path') path: string[] | string, @Res() res: Response) {
    this.file(res, STATIC_DIRS.assets, path, 300);
  }

  @Get('shared/*path')
  shared(@Param('path') path: string[] | string, @Res() res: Response) {
    const rel = safeRelative(path);
    if (!rel?.endsWith('.js')) throw new NotFoundException();
    this.file(res, STATIC_DIRS.shared, rel, 300);
  }

  @Get('vendor/:lib/*path')
  vendor(@Param('lib') lib: string, @Param('path') path: string[] | string, @Res() res: Response) {
    if (lib !== 'bpmn-js' && lib !== 'echarts') throw new NotFoundException();
    this.file(res, STATIC_DIRS[lib], path, 86_400);
  }

  private html(res: Response, name: string): void {
    res.setHeader('Content-Security-Policy', PAGE_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(name, { root: PAGES_DIR, dotfiles: 'deny' }, (err) => err && !res.headersSent && res.status(404).end());
  }

  private file(res: Response, root: string, segments: string[] | string, maxAgeS: number): void {
    const rel = safeRelative(segments);
    if (!rel || rel.endsWith('.html')) throw new NotFoundException();
    res.sendFile(rel, { root, dotfiles: 'deny', maxAge: maxAgeS * 1000 }, (err) => {
      if (err && !res.headersSent) res.status(404).json({ statusCode: 404, message: 'not found' });
    });
  }
}
