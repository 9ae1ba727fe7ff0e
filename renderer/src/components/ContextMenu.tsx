/**
 * Context menus from one serializable model: shown natively by Electron's main process, or, in a
 * browser, as an accessible DOM menu (role="menu", arrow keys, Escape).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { MenuItemModel } from '../../../shared/ipc.js';
import type { ApiClient } from '../api/client.js';

interface DomMenuState {
  open: boolean;
  x: number;
  y: number;
  items: MenuItemModel[];
  resolve: ((id: string | null) => void) | null;
}

const useDomMenu = create<DomMenuState>(() => ({ open: false, x: 0, y: 0, items: [], resolve: null }));

export function showContextMenu(
  api: ApiClient,
  items: MenuItemModel[],
  x: number,
  y: number,
): Promise<string | null> {
  if (api.showNativeContextMenu) return api.showNativeContextMenu(items);
  useDomMenu.getState().resolve?.(null);
  return new Promise((resolve) => useDomMenu.setState({ open: true, x, y, items, resolve }));
}

function close(id: string | null) {
  const { resolve } = useDomMenu.getState();
  useDomMenu.setState({ open: false, resolve: null });
  resolve?.(id);
}

export function DomContextMenu() {
  const { open, x, y, items } = useDomMenu();
  const ref = useRef<HTMLUListElement>(null);
  const { t } = useTranslation();

  useEffect(() => {
    if (!open) return;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) close(null);
    };
    window.addEventListener('mousedown', onPointer);
    return () => window.removeEventListener('mousedown', onPointer);
  }, [open]);

  if (!open) return null;

  const onKeyDown = (event: React.KeyboardEvent) => {
    const entries = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') close(null);
    else if (event.key === 'ArrowDown') entries[(index + 1) % entries.length]?.focus();
    else if (event.key === 'ArrowUp') entries[(index - 1 + entries.length) % entries.length]?.focus();
    else return;
    event.preventDefault();
  };

  return (
    <ul
      ref={ref}
      role="menu"
      aria-label={t('window:contextMenu.label')}
      className="context-menu"
      style={{
        left: Math.min(x, window.innerWidth - 240),
        top: Math.min(y, window.innerHeight - 40 * items.length),
      }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, i) =>
        item.type === 'separator' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: separators have no identity
          <li key={`sep-${i}`} role="separator" className="separator" />
        ) : (
          <li
            key={item.id}
            role="menuitem"
            tabIndex={-1}
            aria-disabled={item.enabled === false}
            onClick={() => item.enabled !== false && close(item.id)}
            onKeyDown={(event) => {
              if ((event.key === 'Enter' || event.key === ' ') && item.enabled !== false) {
                event.preventDefault();
                close(item.id);
              }
            }}
          >
            {item.label}
          </li>
        ),
      )}
    </ul>
  );
}
