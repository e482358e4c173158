/**
 * A script bundle made safe to sit between <script> tags: no `</script` can end it early (in JS source
 * `<\/script` means the same inside strings, templates and regular expressions), and no source-map
 * comment sends the webview looking for a file next to a page that has no address.
 */
export function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
}
