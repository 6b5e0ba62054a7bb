/**
 * Typed wrappers over the client's generic sendRequest/sendNotification: the method name must be
 * a key of the protocol maps, and params/results follow from it.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { LedgerlintNotifications, LedgerlintRequests } from '../../server/src/protocol';

export function request<M extends keyof LedgerlintRequests>(
  client: LanguageClient,
  method: M,
  params: LedgerlintRequests[M]['params'],
  token?: vscode.CancellationToken,
): Promise<LedgerlintRequests[M]['result']> {
  return client.sendRequest<LedgerlintRequests[M]['result']>(method, params, token);
}

export function notify<M extends keyof LedgerlintNotifications>(
  client: LanguageClient,
  method: M,
  params: LedgerlintNotifications[M],
): Promise<void> {
  return client.sendNotification(method, params);
}

export function onNotification<M extends keyof LedgerlintNotifications>(
  client: LanguageClient,
  method: M,
  handler: (params: LedgerlintNotifications[M]) => void,
): vscode.Disposable {
  return client.onNotification(method, handler);
}
