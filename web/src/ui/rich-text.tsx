import type { ComponentChildren } from 'preact';
import { type Block, type Inline, parseMarkdown } from './markdown';

/**
 * A message body's light markdown as elements built one by one (never innerHTML): peer text only ever
 * becomes text nodes, and links only ever get http(s) targets that open in a new tab without an opener.
 */
export function RichText({ text }: { text: string }) {
  return <>{parseMarkdown(text).map(renderBlock)}</>;
}

function renderBlock(block: Block, index: number) {
  switch (block.t) {
    case 'code-block':
      return (
        <pre key={index} class="code-block">
          <code>{block.text}</code>
        </pre>
      );
    case 'quote':
      return (
        <blockquote key={index} class="md-quote">
          {renderInlines(block.children)}
        </blockquote>
      );
    case 'para':
      return <span key={index}>{renderInlines(block.children)}</span>;
  }
}

function renderInlines(nodes: readonly Inline[]): ComponentChildren {
  return nodes.map(renderInline);
}

function renderInline(node: Inline, index: number) {
  switch (node.t) {
    case 'text':
      return node.text;
    case 'code':
      return <code key={index}>{node.text}</code>;
    case 'bold':
      return <strong key={index}>{renderInlines(node.children)}</strong>;
    case 'italic':
      return <em key={index}>{renderInlines(node.children)}</em>;
    case 'link':
      return (
        <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
          {node.text}
        </a>
      );
  }
}
