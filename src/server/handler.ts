import type { Request } from './request.js';
import type { Response } from './response.js';

/** Called once per request; a thrown error or rejected promise becomes the response (see HttpError). */
export type Handler = (req: Request, res: Response) => void | Promise<void>;
