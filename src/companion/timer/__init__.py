"""Study time: the pomodoro state machine, the study log's sums, and the pace forecast against
roadmap estimates. Pure: the clock is passed in, nothing is stored here."""
