import { escapeMarkdown, markdown, markdownLink } from './robot-markdown.js';

describe('robot markdown', () => {
  it('takes caller text as literal text: inline markup, tags and mentions, block markers', () => {
    expect(escapeMarkdown('**加粗** _斜_ `代码` ~删~ [链接](https://evil.example) |表|')).toBe(
      '\\*\\*加粗\\*\\* \\_斜\\_ \\`代码\\` \\~删\\~ \\[链接\\](https://evil.example) \\|表\\|',
    );
    const tags = '<font color="warning">红</font> <@userid> a\\b';
    expect(escapeMarkdown(tags)).toBe('＜font color="warning"＞红＜/font＞ ＜@userid＞ a\\\\b');
    expect(escapeMarkdown('# 标题')).toBe('\\# 标题');
    expect(escapeMarkdown('  - 列表')).toBe('  \\- 列表');
    expect(escapeMarkdown('1. 第一')).toBe('1\\. 第一');
    expect(escapeMarkdown('2) 第二')).toBe('2\\) 第二');
    expect(escapeMarkdown('> 引用')).toBe('＞ 引用');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('油气回收治理 2017-06-30（市环保局）')).toBe('油气回收治理 2017-06-30（市环保局）');
    expect(escapeMarkdown('a\r\nb\u001b[31mc')).toBe('abc');
  });

  it('keeps a link inside its parentheses and refuses other schemes', () => {
    const plain = 'https://duban.example.gov.cn/api/problems/P-9';
    expect(markdownLink(plain)).toBe(plain);
    const breakOut = '/problems/P-1)[x](https://evil.example "t")';
    expect(markdownLink(breakOut)).toBe('/problems/P-1%29%5Bx%5D%28https://evil.example%20%22t%22%29');
    expect(markdownLink('javascript:alert(1)')).toBeNull();
    expect(markdownLink('/问题/甲')).toBe('/%E9%97%AE%E9%A2%98/%E7%94%B2');
  });

  it('quotes each line of the text under the title, for WeCom (bold) and DingTalk (a heading)', () => {
    const p = {
      kind: 'reminder' as const,
      title: 'P-9 *临近* 期限',
      text: '距整改时限还有5个工作日\n# 不是标题',
      link: null,
    };
    const body = '> 距整改时限还有5个工作日\n> \\# 不是标题';
    const link = 'https://duban.example.gov.cn/p/9';
    expect(markdown(p, link)).toBe(`**【催办】P-9 \\*临近\\* 期限**\n\n${body}\n\n[查看详情](${link})`);
    expect(markdown(p, null, true)).toBe(
      '#### 【催办】P-9 \\*临近\\* 期限\n\n> 距整改时限还有5个工作日\n> \\# 不是标题',
    );
  });
});
