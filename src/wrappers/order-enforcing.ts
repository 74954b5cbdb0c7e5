// OrderEnforcing: makes `step` before the first `reset` a clear error instead of undefined state.

import { type ResetArgs, type ResetResult, type StepResult, Wrapper } from '../env.js';

export class OrderEnforcing<Obs, Act> extends Wrapper<Obs, Act> {
  private hasReset = false;

  override reset(args?: ResetArgs): ResetResult<Obs> {
    this.hasReset = true;
    return this.env.reset(args);
  }

  override step(action: Act): StepResult<Obs> {
    if (!this.hasReset) {
      throw new Error(`${this.env}: step() was called before reset(); call env.reset() to start an episode first`);
    }
    return this.env.step(action);
  }
}
