CREATE TABLE `computation_parts` (
	`key` text NOT NULL,
	`part` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`key`, `part`),
	FOREIGN KEY (`key`) REFERENCES `computations`(`key`) ON UPDATE no action ON DELETE cascade
);
