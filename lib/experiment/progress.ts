/** Reports how far a run is: a bar redrawn in place on a TTY, a plain line every tenth of the run otherwise. */
export interface Progress {
  update(done: number, failed: number): void;
  end(): void;
}

const WIDTH = 30;

export function createProgress(label: string, total: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || total === 0) return { update: () => undefined, end: () => undefined };
  if (stream.isTTY) {
    let drawn = false;
    const draw = (done: number, failed: number): void => {
      const filled = Math.round((done / total) * WIDTH);
      stream.write(
        `\r${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total}${failed ? ` · ${failed} failed` : ""}`,
      );
      drawn = true;
    };
    draw(0, 0);
    return {
      update: draw,
      end: () => {
        if (drawn) stream.write("\n");
        drawn = false;
      },
    };
  }
  const every = Math.max(1, Math.ceil(total / 10));
  return {
    update: (done, failed) => {
      if (done % every === 0 || done === total) stream.write(`${label}: ${done}/${total} done${failed ? `, ${failed} failed` : ""}\n`);
    },
    end: () => undefined,
  };
}
