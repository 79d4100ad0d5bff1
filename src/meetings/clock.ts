import { Injectable } from '@nestjs/common';

/** "Now" for the meetings module: slots depend on it, and tests set it to a chosen instant. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
