/**
 * Work that is still running, counted, and a wait until none is: what a graceful shutdown needs
 * before it closes what that work uses (the host's HTTP requests, the bundle's database).
 */
export class InFlight {
	#count = 0;
	readonly #waiting = new Set<() => void>();

	get count(): number {
		return this.#count;
	}

	/** Counts one piece of work until the returned function is called (again: no effect). */
	begin(): () => void {
		this.#count++;
		let ended = false;
		return () => {
			if (ended) return;
			ended = true;
			if (--this.#count > 0) return;
			for (const settle of this.#waiting) settle();
		};
	}

	/** True once nothing is running (at once when nothing is), false when `ms` pass first. */
	settled(ms: number): Promise<boolean> {
		if (this.#count === 0) return Promise.resolve(true);
		return new Promise((resolve) => {
			const settle = (done: boolean) => {
				clearTimeout(timer);
				this.#waiting.delete(onSettled);
				resolve(done);
			};
			const onSettled = () => settle(true);
			const timer = setTimeout(() => settle(false), ms);
			this.#waiting.add(onSettled);
		});
	}
}
