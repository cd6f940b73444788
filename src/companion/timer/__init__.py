"""The pomodoro state machine. Pure: the clock is passed in, nothing is stored here."""
