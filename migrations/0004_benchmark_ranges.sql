CREATE TABLE `benchmark_ranges` (
	`benchmark` text PRIMARY KEY NOT NULL,
	`low` real NOT NULL,
	`high` real NOT NULL
);
